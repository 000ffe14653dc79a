"""The sound header's ready-made <name>_prepare_clip(): compiled here and fed 16-bit clips, it must write the int8
input Edgeling's front end gives (the firmware walk: the header gave the settings only, and a firmware person
starting from micro_speech would reuse features this model never learnt)."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from edgeling.core.data.load import open_dataset
from edgeling.core.export.c_prepare_audio import prepare_clip_c
from edgeling.core.models import zoo
from edgeling.core.resources import samples_dir
from tests.core.tflm_build import TFLM_CCFLAGS, TFLM_CXXFLAGS, c_compiler, cxx_compiler


@pytest.fixture(scope="module")
def clips():
    ds = open_dataset(samples_dir() / "words", use_cache=False)
    x = np.asarray(ds.x[:40], np.float32)
    pcm = np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16)   # what a PDM microphone gives
    return ds, pcm


def _prelude(frontend: dict, scale: float, zero_point: int) -> str:
    k = frontend

    def floats(values) -> str:
        said = [f"{float(a):.9g}" for a in values]
        return ", ".join(f"{a}f" if "." in a or "e" in a else f"{a}.0f" for a in said)

    return (f"#define CLIP_MODEL_CLIP_SAMPLES {k['length']}\n#define CLIP_MODEL_NUM_FRAMES "
            f"{1 + max(k['length'] - k['win_length'], 0) // k['hop_length']}\n"
            f"#define CLIP_MODEL_SAMPLE_RATE_HZ {float(k['sample_rate']):.1f}f\n"
            f"#define CLIP_MODEL_LOG_FLOOR {float(k['log_floor']):g}f\n#define CLIP_MODEL_NUM_LABELS 6\n"
            f"#define CLIP_MODEL_INPUT_SCALE {scale:.9g}f\n#define CLIP_MODEL_INPUT_ZERO_POINT {zero_point}\n"
            f"static const float clip_model_mean[{len(k['mean'])}] = {{{floats(k['mean'])}}};\n"
            f"static const float clip_model_std[{len(k['std'])}] = {{{floats(k['std'])}}};\n")


def _inputs_from_c(tmp_path, header: str, ident: str, pcm: np.ndarray, frames: int, coefficients: int) -> np.ndarray:
    """Build a program including ``header`` with TFLM's C flags, feed it ``pcm`` clip by clip through
    ``<ident>_prepare_clip`` and return the int8 inputs it wrote, (clips, frames, coefficients)."""
    macro = ident.upper()
    (tmp_path / "prep.c").write_text(f"""#include <stdio.h>
#include "{header}"
int main(void) {{
  static short samples[{macro}_CLIP_SAMPLES];
  static signed char input[{frames * coefficients}];
  FILE* in = fopen("clips.bin", "rb"); FILE* out = fopen("inputs.bin", "wb");
  for (int n = 0; n < {len(pcm)}; n++) {{
    if (fread(samples, sizeof samples, 1, in) != 1) return 2;
    {ident}_prepare_clip(samples, input);
    fwrite(input, sizeof input, 1, out);
  }}
  fclose(in); fclose(out); return 0;
}}
""")
    (tmp_path / "clips.bin").write_bytes(pcm.astype("<i2").tobytes())
    built = subprocess.run([c_compiler(), *TFLM_CCFLAGS, "prep.c", "-o", "prep", "-lm"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    subprocess.run([str(tmp_path / "prep")], check=True, cwd=tmp_path)
    return np.frombuffer((tmp_path / "inputs.bin").read_bytes(), np.int8).reshape(len(pcm), frames, coefficients)


def _assert_close(got: np.ndarray, want: np.ndarray) -> None:
    """At most one quantization step off, on under 1% of the values (float32 FFT against float64)."""
    diff = np.abs(got.astype(int) - want.astype(int))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.01, (diff.max(), (diff > 0).mean())


@pytest.mark.parametrize("arch,knobs", [("audio_cnn", {"width": 8, "features": "logmel", "n_mels": 32}),
                                        ("ds_cnn", {"width": 32, "blocks": 2, "features": "mfcc", "n_mels": 40,
                                                    "n_mfcc": 10})])
def test_the_c_function_fills_the_input_as_edgelings_front_end_does(tmp_path, clips, arch, knobs):
    ds, pcm = clips
    spec = zoo.InputSpec.from_dataset(ds)
    frontend = zoo.fit_frontend(arch, spec, pcm.astype(np.float32) / 32768, knobs)
    code = prepare_clip_c("clip_model", "CLIP_MODEL", frontend)
    assert code.count("clip_model_prepare_clip(const short* samples, signed char* input)") == 1
    features = zoo.apply_frontend(frontend, pcm.astype(np.float32) / 32768)       # (N, 1, frames, coefficients)
    scale, zero_point = float(np.abs(features).max() / 127), 0
    (tmp_path / "clip_model.h").write_text(_prelude(frontend, scale, zero_point) + code)
    frames, coefficients = features.shape[2], features.shape[3]
    got = _inputs_from_c(tmp_path, "clip_model.h", "clip_model", pcm, frames, coefficients)
    _assert_close(got, np.clip(np.round(features[:, 0] / scale) + zero_point, -128, 127).astype(np.int8))
    cxx = cxx_compiler()      # and as C++11 with TFLM's flags, as a firmware build includes it
    (tmp_path / "prep.cpp").write_text((tmp_path / "prep.c").read_text())
    built = subprocess.run([cxx, *TFLM_CXXFLAGS, "-c", "prep.cpp", "-o", "prep.o"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]


def test_a_front_end_the_generator_does_not_do_gets_no_function():
    frontend = {"type": "audio", "length": 16000, "win_length": 400, "hop_length": 160, "n_fft": 400, "n_mels": 40,
                "sample_rate": 16000, "fmin": 20.0, "fmax": 8000.0, "log_floor": 1e-6, "features": "logmel",
                "mean": [0.0] * 40, "std": [1.0] * 40}
    assert prepare_clip_c("m", "M", frontend) == ""                  # an FFT size that is not a power of two
    assert prepare_clip_c("m", "M", {**frontend, "n_fft": 512, "mean": []}) == ""
    assert prepare_clip_c("m", "M", {**frontend, "n_fft": 512}).startswith("// ---- Ready-made")


def test_the_exported_header_carries_the_function_and_the_card_says_to_use_it(tmp_path, clips):
    """End to end: an exported sound model's header, included whole, fills the input as Edgeling does with the
    card's own quantization; the card and the usage block name the function."""
    import json

    from edgeling.core.export.exporter import export_model

    ds, pcm = clips
    spec = zoo.InputSpec.from_dataset(ds)
    x = pcm.astype(np.float32) / 32768
    knobs = zoo.resolve_knobs("audio_cnn", spec, {"width": 4, "features": "logmel", "n_mels": 32})
    frontend = zoo.fit_frontend("audio_cnn", spec, x, knobs)
    model = zoo.build_model("audio_cnn", spec, knobs, frontend).eval()
    net_in = zoo.apply_frontend(frontend, x)
    export_model(model, frontend, spec, net_in[:32], net_in[32:], None, "c-header", tmp_path / "words_kws.h",
                 verify=False)
    text = (tmp_path / "words_kws.h").read_text()
    card = json.loads((tmp_path / "words_kws.h.card.json").read_text())
    assert "static inline void words_kws_prepare_clip(const short* samples, signed char* input)" in text
    assert "words_kws_prepare_clip(samples, interpreter->input(0)->data.int8);" in text      # the usage block
    assert "`words_kws_prepare_clip(samples, input)`" in (tmp_path / "words_kws.h.card.md").read_text()
    frames, coefficients = net_in.shape[2], net_in.shape[3]
    got = _inputs_from_c(tmp_path, "words_kws.h", "words_kws", pcm, frames, coefficients)
    q = card["input_quantization"]
    _assert_close(got, np.clip(np.round(net_in[:, 0] / q["scale"]) + q["zero_point"], -128, 127).astype(np.int8))
