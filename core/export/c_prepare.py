"""A ready-made C function in a sensor model's header that fills the int8 input from one window of readings:
``<name>_prepare_window(const float* window, signed char* input)``.

The recipe in words (model card, header comments) asks the firmware person to write the orientation-free
channels themselves, with a 3x3 symmetric eigen solver of their own: the pump walk found that is where a
non-specialist stops. The function is generated for this model (its channels, means, stds and input scale
are the header's own), needs only ``<math.h>``, no buffer besides the window, and is checked in the tests by
compiling it and comparing its input bytes with Edgeling's front end.

What it computes, per window (``signal_features.orientation_channels``, then the standardisation and the
int8 quantization): the channels kept as recorded, then per 3-axis sensor its magnitude and, for
orientation-free models, the centred readings projected on the window's principal axes (eigenvectors of
the 3x3 covariance by Jacobi's method, largest eigenvalue first, each projection's sign making its sum of
cubes non-negative). Only for the 1-D convolution's window front end; frequency features keep their recipe.

Everything is computed in single precision (``float``, ``sqrtf``, ``fabsf``, ``1.0f`` literals): a Cortex-M4F
or ESP32 has a single-precision FPU only, so double would be emulated in software, and TensorFlow Lite
Micro's own build (``-Wdouble-promotion -Werror``) rejects a float silently promoted to double. Edgeling's
front end computes these channels in float32 too; the tests compare the bytes.
"""

from __future__ import annotations

from edgeling.core.models import signal_features as sf


def prepare_window_c(ident: str, macro: str, frontend: dict) -> str:
    """C source (static inline functions) for the header, or '' when the front end is not a window of
    readings with its standardisation."""
    if frontend.get("type") != "window" or not frontend.get("mean") or not frontend.get("length"):
        return ""
    names = list(frontend.get("input_channel_names") or [])
    groups = [list(map(int, g)) for g in frontend.get("axis_groups") or []]
    mode = frontend.get("orientation") or "axes"
    made = list(frontend.get("channel_names") or [])
    if not names or len(made) != len(frontend["mean"]):
        return ""
    grouped = {i for g in groups for i in g}
    kept = [i for i in range(len(names)) if mode != "invariant" or i not in grouped]
    invariant = mode == "invariant" and bool(groups)
    magnitude = mode in ("axes+magnitude", "invariant") and bool(groups)
    if made != sf.orientation_channel_names(names, groups, mode):
        return ""     # a front end this generator does not know how to make: the header's recipe says the steps

    body = [f"  for (int t = 0; t < {macro}_WINDOW_READINGS; t++) {{",
            f"    const float* r = window + t * {macro}_NUM_SENSOR_CHANNELS;",
            f"    signed char* out = input + t * {macro}_NUM_CHANNELS;"]
    c = 0
    for i in kept:
        body.append(f"    out[{c}] = {ident}_quantize_(r[{i}], {c});  /* {_safe(names[i])} */")
        c += 1
    for g, (ix, iy, iz) in enumerate(groups if magnitude or invariant else []):
        body.append(f"    {{ const float x = r[{ix}], y = r[{iy}], z = r[{iz}];")
        if magnitude:
            body.append(f"      out[{c}] = {ident}_quantize_(sqrtf(x * x + y * y + z * z), {c});  /* {_safe(made[c])} */")
            c += 1
        if invariant:
            body.append(f"      const float d[3] = {{x - mean{g}[0], y - mean{g}[1], z - mean{g}[2]}};")
            for j in range(3):
                body.append(f"      out[{c}] = {ident}_quantize_(sign{g}[{j}] * (d[0] * axes{g}[0][{j}] + "
                            f"d[1] * axes{g}[1][{j}] + d[2] * axes{g}[2][{j}]), {c});  /* {_safe(made[c])} */")
                c += 1
        body.append("    }")
    body.append("  }")
    setup = []
    for g, group in enumerate(groups if invariant else []):
        setup += [f"  float mean{g}[3], axes{g}[3][3], sign{g}[3];",
                  f"  {{ const int ch[3] = {{{', '.join(map(str, group))}}};",
                  f"    {ident}_principal_axes_(window, ch, mean{g}, axes{g}, sign{g}); }}"]
    helpers = _QUANTIZE.format(ident=ident, macro=macro)
    if invariant:
        helpers += _PRINCIPAL.format(ident=ident, macro=macro)
    doc = (f"// ---- Ready-made: {ident}_prepare_window() fills the model's int8 input from one window of readings,\n"
           "// every step above included (C99 or C++, <math.h> only, no buffer besides the window).\n"
           f"//   window: {macro}_WINDOW_READINGS readings, each {macro}_NUM_SENSOR_CHANNELS floats in the order of\n"
           f"//           {ident}_sensor_channels: window[t * {macro}_NUM_SENSOR_CHANNELS + s], in the units the\n"
           "//           training recordings had (the model card says which).\n"
           "//   input:  the input tensor's int8 data, e.g. interpreter->input(0)->data.int8.\n"
           f"// Then interpreter->Invoke(), and read the {macro}_NUM_OUTPUTS outputs as the usage above shows.\n")
    return (doc + "#include <math.h>\n" + helpers
            + f"static inline void {ident}_prepare_window(const float* window, signed char* input) {{\n"
            + "\n".join(setup + body) + "\n}\n\n")


def _safe(text: str) -> str:
    """A channel name inside a C comment."""
    return str(text).replace("*/", "* /").replace("\n", " ")


_QUANTIZE = """static inline signed char {ident}_quantize_(float v, int c) {{
  const float x = (v - {ident}_mean[c]) / {ident}_std[c];
  const long q = lrintf(x / {macro}_INPUT_SCALE) + {macro}_INPUT_ZERO_POINT;
  return (signed char)(q < -128 ? -128 : q > 127 ? 127 : q);
}}
"""

_PRINCIPAL = """// The window's principal axes of the 3-axis sensor in channels ch: the mean of each axis, the unit
// eigenvectors of the 3x3 covariance as columns (largest eigenvalue first, Jacobi's method) and each
// projection's sign (its sum of cubes over the window made non-negative).
static inline void {ident}_principal_axes_(const float* window, const int ch[3], float mean[3],
                                          float axes[3][3], float sign[3]) {{
  const int n = {macro}_WINDOW_READINGS, s = {macro}_NUM_SENSOR_CHANNELS;
  float a[3][3] = {{{{0.0f, 0.0f, 0.0f}}, {{0.0f, 0.0f, 0.0f}}, {{0.0f, 0.0f, 0.0f}}}};
  for (int k = 0; k < 3; k++) {{
    float sum = 0.0f;
    for (int t = 0; t < n; t++) sum += window[t * s + ch[k]];
    mean[k] = sum / (float)n;
  }}
  for (int t = 0; t < n; t++) {{
    const float d[3] = {{window[t * s + ch[0]] - mean[0], window[t * s + ch[1]] - mean[1],
                        window[t * s + ch[2]] - mean[2]}};
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 3; j++) a[i][j] += d[i] * d[j] / (float)n;
  }}
  float v[3][3] = {{{{1.0f, 0.0f, 0.0f}}, {{0.0f, 1.0f, 0.0f}}, {{0.0f, 0.0f, 1.0f}}}};
  for (int sweep = 0; sweep < 50; sweep++) {{
    const float off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
    const float diag = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2];
    if (off <= 1e-12f * diag || off == 0.0f) break;
    for (int p = 0; p < 2; p++)
      for (int q = p + 1; q < 3; q++) {{
        if (a[p][q] == 0.0f) continue;
        const float theta = (a[q][q] - a[p][p]) / (2.0f * a[p][q]);
        const float tn = (theta >= 0.0f ? 1.0f : -1.0f) / (fabsf(theta) + sqrtf(theta * theta + 1.0f));
        const float cs = 1.0f / sqrtf(tn * tn + 1.0f), sn = tn * cs;
        for (int k = 0; k < 3; k++) {{
          const float kp = a[k][p], kq = a[k][q];
          a[k][p] = cs * kp - sn * kq; a[k][q] = sn * kp + cs * kq;
        }}
        for (int k = 0; k < 3; k++) {{
          const float pk = a[p][k], qk = a[q][k];
          a[p][k] = cs * pk - sn * qk; a[q][k] = sn * pk + cs * qk;
        }}
        for (int k = 0; k < 3; k++) {{
          const float kp = v[k][p], kq = v[k][q];
          v[k][p] = cs * kp - sn * kq; v[k][q] = sn * kp + cs * kq;
        }}
      }}
  }}
  int order[3] = {{0, 1, 2}};
  for (int i = 0; i < 3; i++)
    for (int j = i + 1; j < 3; j++)
      if (a[order[j]][order[j]] > a[order[i]][order[i]]) {{ const int o = order[i]; order[i] = order[j]; order[j] = o; }}
  for (int j = 0; j < 3; j++) {{
    float cubes = 0.0f;
    for (int k = 0; k < 3; k++) axes[k][j] = v[k][order[j]];
    for (int t = 0; t < n; t++) {{
      const float p = (window[t * s + ch[0]] - mean[0]) * axes[0][j] + (window[t * s + ch[1]] - mean[1]) * axes[1][j]
                    + (window[t * s + ch[2]] - mean[2]) * axes[2][j];
      cubes += p * p * p;
    }}
    sign[j] = cubes < 0.0f ? -1.0f : 1.0f;
  }}
}}
"""
