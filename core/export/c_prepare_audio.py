"""A ready-made C function in a sound model's header that fills the int8 input from one clip of 16-bit samples:
``<name>_prepare_clip(const short* samples, signed char* input)``.

The header gave the settings (frame length and step, FFT size, mel bands, log floor) and the card the steps in
words; the firmware walk wrote the front end itself from them (a DFT, the mel triangles, the log, the
standardisation) and it matched Edgeling's, but a firmware person starting from TensorFlow Lite Micro's
micro_speech example would reuse its feature code, which makes other features. So the header carries the
function, generated for this model: the periodic Hann window, the twiddle factors of an in-place radix-2 FFT,
the mel filterbank as a sparse table (each band's first FFT bin and its weights) and, for MFCC, the DCT-II
matrix are constant tables in flash; the FFT's two float buffers are static (RAM the header counts).

Everything is in single precision (``float``, ``logf``, ``lrintf``): a Cortex-M4F has a single-precision FPU
only, and TensorFlow Lite Micro's build rejects a float silently promoted to double. The tests compile it and
compare its input bytes with Edgeling's front end on clips.
"""

from __future__ import annotations

import numpy as np

from edgeling.core.models import signal_features as sf


def prepare_clip_c(ident: str, macro: str, frontend: dict) -> str:
    """C source for the header ('' for a front end that is not a complete audio one, or an FFT size that is not
    a power of two, which the generated FFT does not do)."""
    need = ("length", "win_length", "hop_length", "n_fft", "n_mels", "sample_rate", "fmin", "fmax", "log_floor")
    if frontend.get("type") != "audio" or not frontend.get("mean") or any(frontend.get(k) is None for k in need):
        return ""
    n_fft, win, hop = int(frontend["n_fft"]), int(frontend["win_length"]), int(frontend["hop_length"])
    if n_fft < 2 or n_fft & (n_fft - 1) or win > n_fft:
        return ""
    mfcc = frontend.get("features") == "mfcc"
    coefficients = sf.num_coefficients(frontend)
    if len(frontend["mean"]) != coefficients:
        return ""
    n_mels = int(frontend["n_mels"])
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    angle = -2 * np.pi * np.arange(n_fft // 2) / n_fft
    fb = sf.mel_filterbank(int(frontend["sample_rate"]), n_fft, n_mels, float(frontend["fmin"]),
                           float(frontend["fmax"]), frontend.get("mel_scale") or "htk")
    first, count, weights = [], [], []
    for m in range(n_mels):
        nz = np.flatnonzero(fb[:, m] > 0)
        lo, hi = (int(nz[0]), int(nz[-1]) + 1) if len(nz) else (0, 0)
        first.append(lo)
        count.append(hi - lo)
        weights += list(fb[lo:hi, m])
    p = f"{ident}_clip_"
    tables = [_floats(f"{p}window", window), _floats(f"{p}cos", np.cos(angle)), _floats(f"{p}sin", np.sin(angle)),
              _ints(f"{p}band_first", first), _ints(f"{p}band_count", count), _floats(f"{p}band_weights", weights)]
    if mfcc:
        tables.append(_floats(f"{p}dct", sf.dct_matrix(n_mels, int(frontend["n_mfcc"])).ravel()))
    coefficient = ("      float v = 0.0f;\n"
                   f"      for (int m = 0; m < {n_mels}; m++) v += im[m] * {p}dct[m * {coefficients} + c];\n"
                   if mfcc else "      const float v = im[c];\n")
    doc = (f"// ---- Ready-made: {ident}_prepare_clip() fills the model's int8 input from one clip, every step above\n"
           "// included (C99 or C++, <math.h> only): Hann window, FFT, mel bands, log"
           + (", DCT" if mfcc else "") + ", standardisation.\n"
           f"//   samples: {macro}_CLIP_SAMPLES 16-bit samples, mono, at {macro}_SAMPLE_RATE_HZ (a PDM microphone's\n"
           "//            int16 values as they come: the function divides by 32768, as training read the WAV files).\n"
           "//   input:   the input tensor's int8 data, e.g. interpreter->input(0)->data.int8.\n"
           "// It keeps two float buffers of the FFT size (static, not on the stack) and is not reentrant. Use it\n"
           "// instead of micro_speech's feature provider, whose features differ from the ones this model learnt.\n"
           f"// Then interpreter->Invoke(), and read the {macro}_NUM_OUTPUTS outputs as the usage above shows.\n")
    body = f"""static inline void {ident}_prepare_clip(const short* samples, signed char* input) {{
  static float re[{n_fft}], im[{n_fft}];
  for (int f = 0; f < {macro}_NUM_FRAMES; f++) {{
    for (int i = 0; i < {n_fft}; i++) {{
      const int t = f * {hop} + i;
      re[i] = (i < {win} && t < {macro}_CLIP_SAMPLES) ? (float)samples[t] / 32768.0f * {p}window[i] : 0.0f;
      im[i] = 0.0f;
    }}
    for (int i = 1, j = 0; i < {n_fft}; i++) {{          /* bit-reversed order */
      int bit = {n_fft} >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) {{ const float r = re[i], m = im[i]; re[i] = re[j]; im[i] = im[j]; re[j] = r; im[j] = m; }}
    }}
    for (int len = 2; len <= {n_fft}; len <<= 1) {{       /* radix-2 butterflies */
      const int step = {n_fft} / len;
      for (int s = 0; s < {n_fft}; s += len)
        for (int k = 0; k < len / 2; k++) {{
          const float wr = {p}cos[k * step], wi = {p}sin[k * step];
          const int a = s + k, b = s + k + len / 2;
          const float xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr; im[b] = im[a] - xi; re[a] += xr; im[a] += xi;
        }}
    }}
    for (int k = 0; k <= {n_fft // 2}; k++) re[k] = re[k] * re[k] + im[k] * im[k];   /* power */
    for (int m = 0, w = 0; m < {n_mels}; m++) {{             /* mel bands, natural log */
      float e = 0.0f;
      for (int j = 0; j < {p}band_count[m]; j++, w++) e += {p}band_weights[w] * re[{p}band_first[m] + j];
      im[m] = logf(e > {macro}_LOG_FLOOR ? e : {macro}_LOG_FLOOR);
    }}
    for (int c = 0; c < {coefficients}; c++) {{
{coefficient}      const long q = lrintf((v - {ident}_mean[c]) / {ident}_std[c] / {macro}_INPUT_SCALE) + {macro}_INPUT_ZERO_POINT;
      input[f * {coefficients} + c] = (signed char)(q < -128 ? -128 : q > 127 ? 127 : q);
    }}
  }}
}}

"""
    return doc + "#include <math.h>\n" + "".join(tables) + body


def _floats(name: str, values) -> str:
    vals = [f"{float(v):.9g}f" for v in np.asarray(values, np.float64).ravel()]
    vals = [v if any(ch in v for ch in ".e") else v[:-1] + ".0f" for v in vals]
    rows = [", ".join(vals[i:i + 8]) for i in range(0, len(vals), 8)]
    return f"static const float {name}[{len(vals)}] = {{\n  " + ",\n  ".join(rows) + "\n};\n"


def _ints(name: str, values) -> str:
    return f"static const unsigned short {name}[{len(values)}] = {{{', '.join(str(int(v)) for v in values)}}};\n"
