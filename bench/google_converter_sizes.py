"""Our .tflite writer against Google's converter: file sizes, float32 and int8, for the same models as
``export_latency.py`` (same weights, same calibration samples), side by side in one run.

A development cross-check, not part of the product: it needs ``litert-torch`` (Google's PyTorch to LiteRT
converter, which needs ``litert-converter``: no Windows wheel, Linux here). Install it apart from the
project, e.g.

    python -m venv --system-site-packages /tmp/lt && /tmp/lt/bin/pip install -c constraints.txt litert-torch
    /tmp/lt/bin/python bench/google_converter_sizes.py [--archs tutorial_cnn,ds_cnn,mobilenet_v1,resnet8]

Google's int8 is its PT2E path with per-channel symmetric weights (``get_symmetric_quantization_config(
is_per_channel=True)``), calibrated on the same 60 samples as ours. It shows what share of float32 the
quantization spec leaves for these model sizes when someone else writes the file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_latency import _params, build  # noqa: E402

from edgeling.core.export.exporter import export_model, exported_module  # noqa: E402


def google_sizes(module, xin, folder: Path) -> tuple[int, int]:
    import litert_torch
    from litert_torch.quantize import pt2e_quantizer
    from litert_torch.quantize.quant_config import QuantConfig
    from torchao.quantization.pt2e import quantize_pt2e

    args = (torch.from_numpy(xin[:1]),)
    litert_torch.convert(module, args).export(str(folder / "google-f32.tflite"))
    quantizer = pt2e_quantizer.PT2EQuantizer().set_global(
        pt2e_quantizer.get_symmetric_quantization_config(is_per_channel=True))
    prepared = quantize_pt2e.prepare_pt2e(torch.export.export(module, args).module(), quantizer)
    for i in range(60):  # the exported graph takes a batch of one
        prepared(torch.from_numpy(xin[i:i + 1]))
    quantized = quantize_pt2e.convert_pt2e(prepared, fold_quantize=False)
    litert_torch.convert(quantized, args, quant_config=QuantConfig(pt2e_quantizer=quantizer)).export(
        str(folder / "google-int8.tflite"))
    return (folder / "google-f32.tflite").stat().st_size, (folder / "google-int8.tflite").stat().st_size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archs", default="tutorial_cnn,ds_cnn,mobilenet_v1,resnet8")
    args = parser.parse_args(argv)
    try:
        import litert_torch  # noqa: F401
    except ImportError:
        sys.exit("This cross-check needs litert-torch; see the top of bench/google_converter_sizes.py.")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for arch in args.archs.split(","):
            model, fe, spec, xin = build(arch)
            ours = []
            for fmt in ("tflite", "tflite-int8"):
                path = folder / f"ours-{fmt}.tflite"
                export_model(model, fe, spec, xin[:60], xin[60:], None, fmt, path, verify=False)
                ours.append(path.stat().st_size)
            theirs = google_sizes(exported_module(model, "classification").eval(), xin, folder)
            rows.append((arch, _params(model), *ours, *theirs))
    print("\nTFLite file sizes (bytes): ours vs Google's converter; int8 as a share of float32")
    print(f"{'model':14s} {'params':>8s} {'ours f32':>9s} {'ours int8':>10s} {'share':>6s} {'Google f32':>11s} "
          f"{'Google int8':>12s} {'share':>6s}")
    for arch, params, of, oi, gf, gi in rows:
        print(f"{arch:14s} {params:8,d} {of:9,d} {oi:10,d} {oi / of:6.1%} {gf:11,d} {gi:12,d} {gi / gf:6.1%}")


if __name__ == "__main__":
    main()
