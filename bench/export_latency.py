"""Latency per prediction (batch of one, median) of PyTorch eager vs ONNX Runtime vs LiteRT, and float32
vs int8 file sizes, for a few zoo models, side by side in one run.

    python bench/export_latency.py [--repeats 200] [--archs tutorial_cnn,ds_cnn,mobilenet_v1,resnet8]

Models are untrained (random weights, randomised BatchNorm statistics); latency and size do not depend
on training. Every file is verified on its runtime as in a real export; an untrained network's outputs
are near ties, so an int8 file can miss the 97% agreement here (it is reported, and still timed).
One thread everywhere.

The int8 share of a file is its weights' share (about 25%: int8 weights, int32 biases) plus a part that does
not shrink: the graph, the class names and front-end settings, and the per-channel scales and zero points
that the TFLite quantization spec requires (12 bytes per output channel for the weights, 4 for the biases'
scales). Small models, and depthwise layers (9 weights per channel), sit above 30% for that reason; the
second table shows the split. ``google_converter_sizes.py`` writes the same models with Google's converter
(a development cross-check) to compare the share.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from edgeling.core.export.exporter import export_model, exported_module
from edgeling.core.export.runtimes import LiteRTRunner, OnnxRunner
from edgeling.core.models import zoo

SETUPS = {
    "tutorial_cnn": ("images", (32, 32, 3), {"image_size": [32, 32]}),
    "mobilenet_v1": ("images", (96, 96, 3), {"image_size": [96, 96]}),
    "ds_cnn": ("audio", (16000,), {"sample_rate": 16000, "clip_s": 1.0}),
    "resnet8": ("images", (32, 32, 3), {"image_size": [32, 32]}),
    "conv1d": ("timeseries", (128, 3), {"sample_rate": 50.0, "window_s": 2.56, "channels": ["x", "y", "z"]}),
}


def _samples(kind: str, shape, n: int, rng) -> np.ndarray:
    if kind == "images":
        return rng.integers(0, 256, (n, *shape), dtype=np.uint8)
    if kind == "audio":
        return rng.uniform(-0.5, 0.5, (n, *shape)).astype(np.float32)
    return rng.normal(size=(n, *shape)).astype(np.float32)


def _tensor_bytes(path: Path) -> int:
    """Bytes of the constant tensors (weights and biases) stored in a .tflite file."""
    import tflite

    model = tflite.Model.GetRootAsModel(path.read_bytes(), 0)
    graph = model.Subgraphs(0)
    used = {graph.Tensors(i).Buffer() for i in range(graph.TensorsLength())}
    return sum(model.Buffers(b).DataLength() for b in used if b < model.BuffersLength())


def _params(model) -> int:
    return int(sum(p.numel() for p in model.parameters()))


def _median_ms(fn, repeats: int) -> float:
    for _ in range(5):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def build(arch: str):
    """(model, front end, spec, network inputs) of one setup: the zoo's default knobs, random weights and
    randomised BatchNorm statistics, 120 random samples through the front end."""
    kind, shape, meta = SETUPS[arch]
    spec = zoo.InputSpec(kind, "classification", 4, shape, meta, ["a", "b", "c", "d"])
    rng = np.random.default_rng(0)
    x = _samples(kind, shape, 120, rng)
    knobs = zoo.default_knobs(arch, spec)
    fe = zoo.fit_frontend(arch, spec, x, knobs)
    torch.manual_seed(0)
    model = zoo.build_model(arch, spec, knobs, fe).eval()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    return model, fe, spec, zoo.apply_frontend(fe, x)


def bench(arch: str, repeats: int, folder: Path) -> dict:
    model, fe, spec, xin = build(arch)
    knobs = zoo.default_knobs(arch, spec)
    one = torch.from_numpy(xin[:1])
    module = exported_module(model, "classification")
    row = {"arch": arch, "knobs": knobs, "input": list(xin.shape[1:]), "params": _params(model)}
    with torch.no_grad():
        row["pytorch_ms"] = _median_ms(lambda: module(one), repeats)
    for fmt, suffix in [("onnx", "onnx"), ("onnx-int8", "onnx"), ("tflite", "tflite"), ("tflite-int8", "tflite")]:
        path = folder / f"{arch}-{fmt}.{suffix}"
        r = export_model(model, fe, spec, xin[:60], xin[60:], None, fmt, path)
        v = r["verification"]
        row[f"{fmt}_passed"] = v["passed"]
        if fmt == "tflite-int8":
            row["arena_bytes"] = v["arena_bytes"]
        if not v["passed"]:  # still measure it, but say so in the table
            print(f"{arch} {fmt}: verification failed: {'; '.join(r['verification']['failures'])}")
            r = export_model(model, fe, spec, xin[:60], xin[60:], None, fmt, path, verify=False)
        row[f"{fmt}_bytes"] = r["size_bytes"]
        if suffix == "tflite":
            row[f"{fmt}_tensor_bytes"] = _tensor_bytes(path)
        runner = OnnxRunner(path) if suffix == "onnx" else LiteRTRunner(path)
        sample = xin[:1]
        row[f"{fmt}_ms"] = _median_ms(lambda runner=runner, sample=sample: runner.predict(sample), repeats)
    return row


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--archs", default="tutorial_cnn,ds_cnn,mobilenet_v1,resnet8")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for arch in args.archs.split(","):
            rows.append(bench(arch, args.repeats, Path(tmp)))
    print("\nLatency per prediction (ms, batch of one, median, 1 thread)")
    print(f"{'model':14s} {'input':>14s} {'PyTorch':>9s} {'ORT f32':>9s} {'ORT int8':>9s} {'LiteRT f32':>11s} "
          f"{'LiteRT int8':>12s}")
    for r in rows:
        print(f"{r['arch']:14s} {'x'.join(map(str, r['input'])):>14s} {r['pytorch_ms']:9.3f} {r['onnx_ms']:9.3f} "
              f"{r['onnx-int8_ms']:9.3f} {r['tflite_ms']:11.3f} {r['tflite-int8_ms']:12.3f}")
    print("\nFile sizes (bytes); int8 as a share of float32 (target: at most 30%)")
    print(f"{'model':14s} {'params':>8s} {'TFLite f32':>11s} {'TFLite int8':>12s} {'share':>6s} {'ONNX f32':>10s} "
          f"{'ONNX int8':>10s} {'share':>6s} {'TFLM arena':>11s} {'all verified':>13s}")
    for r in rows:
        t_share = r["tflite-int8_bytes"] / r["tflite_bytes"]
        o_share = r["onnx-int8_bytes"] / r["onnx_bytes"]
        ok = all(r[f"{f}_passed"] for f in ("onnx", "onnx-int8", "tflite", "tflite-int8"))
        print(f"{r['arch']:14s} {r['params']:8,d} {r['tflite_bytes']:11,d} {r['tflite-int8_bytes']:12,d} "
              f"{t_share:6.1%} {r['onnx_bytes']:10,d} {r['onnx-int8_bytes']:10,d} {o_share:6.1%} "
              f"{r['arena_bytes'] or 0:11,d} {'yes' if ok else 'NO':>13s}")
    print("\nWhere the TFLite bytes go: weights + biases, and the rest of the file (graph, tensor tables,\n"
          "class names and front end, and in int8 the per-channel scales the quantization spec requires)")
    print(f"{'model':14s} {'tensors f32':>12s} {'tensors int8':>13s} {'share':>6s} {'rest f32':>9s} {'rest int8':>10s}")
    for r in rows:
        tf, ti = r["tflite_tensor_bytes"], r["tflite-int8_tensor_bytes"]
        print(f"{r['arch']:14s} {tf:12,d} {ti:13,d} {ti / tf:6.1%} {r['tflite_bytes'] - tf:9,d} "
              f"{r['tflite-int8_bytes'] - ti:10,d}")


if __name__ == "__main__":
    main()
