"""Training throughput: the classic tutorial CNN, five ways, interleaved in one run.

    python bench/train_throughput.py [--images 12000] [--rounds 7] [--threads N] [--families]

The FashionMNIST tutorial CNN (two conv + ReLU + max-pool, one dense: zoo ``tutorial_cnn`` at width 32,
28x28x1 input), batch 64, Adam, on random 28x28 images. Each round runs one epoch of each of:

1. ``tutorial``: the PyTorch tutorial's own loop over ``DataLoader(TensorDataset(x, y), batch_size=64,
   shuffle=True)``;
2. ``bare``: a bare loop over in-memory tensors batched by indexing;
3. ``bare_cl``: the same loop with the model and batches in ``channels_last`` memory format;
4. ``bare_fast``: the best bare loop written by hand: ``channels_last`` plus each max-pool moved before its
   ReLU (exact: ReLU is monotonic), the ReLU in place on the pooled tensor, the fused Adam kernel, and
   freed memory kept by the process (``training/device.py: keep_freed_memory``, Linux/glibc);
5. ``engine``: our engine (``edgeling.core.training.loop.fit``) run as a job through
   ``edgeling.core.jobs.runner.run_inline``, with its callbacks on (job events + stop checks every batch,
   NaN guard, early stopping, history, a checkpoint written after the epoch).

Each variant runs in its own spawned process (as a training job does), so a process-wide setting of one
(the engine's allocator setting) cannot speed up another; rounds are interleaved and their order rotates.
Prints the median images/s of each and the ratios to the tutorial loop. Target: engine >= 1.4x the
tutorial loop and within 5% of the best bare loop.

``--no-reorder`` runs the engine without its pool/activation reordering (``training/fastpath.py``), to
show what that step is worth.

``--families`` also checks the channels_last trick per architecture family: the same initial weights in
both layouts must give the same outputs and gradients (float tolerance), and the speed ratio says where it
helps (the engine applies it only to the families listed in ``training/setup.py: CHANNELS_LAST_ARCHS``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import statistics
import tempfile
import time
from pathlib import Path

import torch

from edgeling.core.models import zoo

BATCH = 64


def tutorial_model(num_classes: int = 10):
    spec = zoo.InputSpec("images", "classification", num_classes, (28, 28, 1), {"image_size": [28, 28]},
                         [str(i) for i in range(num_classes)])
    knobs = {"width": 32, "resolution": 28}
    frontend = {"type": "image", "size": [28, 28], "channels": 1, "mean": [0.5], "std": [0.25]}
    try:
        return zoo.build_model("tutorial_cnn", spec, knobs, frontend)
    except Exception:  # noqa: BLE001 - a front end the zoo does not accept in this shape: build directly
        from edgeling.core.models.families import tutorial_cnn

        return tutorial_cnn.build(spec, zoo.resolve_knobs("tutorial_cnn", spec, knobs), (1, 28, 28))


def run_tutorial(model, x, y) -> float:
    from torch.utils.data import DataLoader, TensorDataset

    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=True)
    model.train()
    t0 = time.perf_counter()
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return len(x) / (time.perf_counter() - t0)


def pool_first(model):
    """The tutorial CNN rewritten by hand: conv -> max-pool -> ReLU(in place), same parameters."""
    conv1, _, pool1, conv2, _, pool2, flatten, dense = model
    nn = torch.nn
    return nn.Sequential(conv1, pool1, nn.ReLU(inplace=True), conv2, pool2, nn.ReLU(inplace=True), flatten, dense)


def run_bare(model, x, y, channels_last: bool, best: bool = False) -> float:
    if best:
        model = pool_first(model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True) if best else \
        torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    model.train()
    t0 = time.perf_counter()
    perm = torch.randperm(len(x))
    for i in range(0, len(x), BATCH):
        idx = perm[i:i + BATCH]
        xb = x[idx]
        if channels_last:
            xb = xb.contiguous(memory_format=torch.channels_last)
        loss = loss_fn(model(xb), y[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return len(x) / (time.perf_counter() - t0)


def engine_job(params: dict, ctx) -> dict:
    """A job (same shape as the train job) running one epoch of ``fit`` with the engine's callbacks."""
    from edgeling.core.training import callbacks as cb
    from edgeling.core.training.loop import TensorData, Trainer, fit, make_loss
    from edgeling.core.training.setup import CHANNELS_LAST_ARCHS, make_optimizer

    model, x, y = params["model"], params["x"], params["y"]
    opt = make_optimizer(model, {"lr": 1e-3, "weight_decay": 0.0})  # the engine's Adam(W), fused kernel
    out = Path(params["tmp"])
    trainer = Trainer(model, opt, 1, BATCH, -(-len(x) // BATCH))
    callbacks = [cb.NanGuard(), cb.EarlyStopping(5),
                 cb.Checkpoints(out / "last.pt", out / "best.pt",
                                lambda e: {"model": trainer.model_state(), "optimizer": opt.state_dict()},
                                monitor="loss", on_saved=cb.CheckpointEvents(ctx.emit)),
                 cb.JobEvents(ctx.emit, ctx.should_stop)]
    t0 = time.perf_counter()
    fit(model, TensorData(x, y), None, 1, opt, callbacks, loss_fn=make_loss("classification"),
        batch_size=BATCH, lr=1e-3, schedule="constant", channels_last="tutorial_cnn" in CHANNELS_LAST_ARCHS,
        trainer=trainer, generator=torch.Generator().manual_seed(0), reorder_pools=params["reorder"])
    return {"seconds": time.perf_counter() - t0}


def run_engine(model, x, y, tmp: str, reorder: bool) -> float:
    from edgeling.core.jobs.runner import run_inline

    events = []
    t0 = time.perf_counter()
    run_inline("__main__.engine_job", {"model": model, "x": x, "y": y, "tmp": tmp, "reorder": reorder},
               on_event=events.append)
    took = time.perf_counter() - t0  # includes the checkpoint write and every callback
    assert any(type(e).__name__ == "EpochEnd" for e in events)
    return len(x) / took


VARIANTS = ("tutorial", "bare", "bare_cl", "bare_fast", "engine")


def variant_worker(name: str, images: int, threads: int | None, reorder: bool, conn) -> None:
    """One variant in its own process (spawned like a job child), so nothing one variant sets for its
    process (the engine's allocator setting, threads) reaches another. Runs one epoch per request."""
    if threads:
        torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(images, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (images,), generator=g)
    torch.manual_seed(0)
    base = tutorial_model()  # the same initial weights in every worker
    if name == "bare_fast":
        from edgeling.core.training.device import keep_freed_memory

        keep_freed_memory()  # the best bare loop also keeps freed memory (Linux/glibc)
    with tempfile.TemporaryDirectory() as tmp:
        warm_up = True  # first a short untimed epoch: one-time costs (kernel set-up, imports) stay out
        while warm_up or conn.recv() == "run":
            model = copy.deepcopy(base)
            xs, ys = (x[:BATCH * 10], y[:BATCH * 10]) if warm_up else (x, y)
            if name == "tutorial":
                v = run_tutorial(model, xs, ys)
            elif name == "bare":
                v = run_bare(model, xs, ys, False)
            elif name == "bare_cl":
                v = run_bare(model, xs, ys, True)
            elif name == "bare_fast":
                v = run_bare(model, xs, ys, True, best=True)
            else:
                v = run_engine(model, xs, ys, tmp, reorder)
            if not warm_up:
                conn.send((v, torch.get_num_threads()))
            warm_up = False


def throughput(images: int, rounds: int, reorder: bool = True, threads: int | None = None) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    workers = {}
    for name in VARIANTS:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=variant_worker, args=(name, images, threads, reorder, child), daemon=True)
        proc.start()
        workers[name] = (proc, parent)
    results = {name: [] for name in VARIANTS}
    ratios, vs_best = [], []
    used_threads = None
    try:
        for r in range(rounds):
            k = r % len(VARIANTS)
            for name in VARIANTS[k:] + VARIANTS[:k]:  # rotate the order: no variant always runs first
                workers[name][1].send("run")
                v, used_threads = workers[name][1].recv()
                results[name].append(v)
            ratios.append(results["engine"][-1] / results["tutorial"][-1])
            vs_best.append(results["engine"][-1] / max(results[b][-1] for b in ("bare", "bare_cl", "bare_fast")))
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:,.0f}/s" for k, v in results.items())
                  + f"  (engine/tutorial {ratios[-1]:.2f})", flush=True)
    finally:
        for proc, conn in workers.values():
            conn.send("quit")
            proc.join(10)
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nmedian images/s over {rounds} rounds of {images} images, {used_threads} threads, each variant"
          " in its own process:")
    for k, v in med.items():
        print(f"  {k:9s} {v:10,.0f}   {v / med['tutorial']:.2f}x tutorial")
    best_bare = max(med["bare"], med["bare_cl"], med["bare_fast"])
    print(f"  engine / best bare loop: {med['engine'] / best_bare:.3f}")
    print(f"  median of the per-round ratios (paired, less noisy): engine/tutorial {statistics.median(ratios):.2f}x,"
          f" engine/best bare loop {statistics.median(vs_best):.3f}")


def family_layouts(steps: int = 15) -> None:
    cases = {
        "tutorial_cnn": ("images", (32, 32, 1)), "mobilenet_v1": ("images", (48, 48, 3)),
        "resnet8": ("images", (32, 32, 3)), "mobilenet_v2": ("images", (48, 48, 3)),
        "ds_cnn": ("audio", (16000,)), "audio_cnn": ("audio", (16000,)), "conv1d": ("timeseries", (128, 3)),
    }
    print("\nchannels_last per family: max |gradient difference| between layouts relative to the largest"
          " gradient (float64 in training mode, dropout off: the same math; float32 in eval mode: rounding),\n"
          "and the speed ratio (channels_last / default). (With dropout on, a Dropout on a 4-D tensor draws"
          " its mask in memory order, so masks differ between layouts.)")
    for arch, (kind, shape) in cases.items():
        meta = {"image_size": list(shape[:2])} if kind == "images" else \
            {"sample_rate": 16000, "clip_s": 1.0} if kind == "audio" else \
            {"sample_rate": 50.0, "window_s": 2.56, "channels": ["ax", "ay", "az"]}
        spec = zoo.InputSpec(kind, "classification", 4, shape, meta, list("abcd"))
        try:
            knobs = zoo.default_knobs(arch, spec)
            rng = torch.Generator().manual_seed(0)
            raw = (torch.rand((64, *shape), generator=rng) * (255 if kind == "images" else 1)).numpy()
            raw = raw.astype("uint8") if kind == "images" else raw
            frontend = zoo.fit_frontend(arch, spec, raw, knobs)
            x = torch.from_numpy(zoo.apply_frontend(frontend, raw))
            torch.manual_seed(0)
            model = zoo.build_model(arch, spec, knobs, frontend)
        except Exception as e:  # noqa: BLE001 - a family not landed yet
            print(f"  {arch:13s} skipped: {type(e).__name__}: {e}")
            continue
        if x.dim() != 4:
            print(f"  {arch:13s} input {tuple(x.shape)} is not 4-D: layout does not apply")
            continue
        y = torch.randint(0, 4, (64,), generator=rng)
        diffs = {}
        for label, dtype, mode in (("float64 train", torch.float64, "train"), ("float32 eval", torch.float32, "eval")):
            a = copy.deepcopy(model).to(dtype)
            b = copy.deepcopy(model).to(dtype).to(memory_format=torch.channels_last)
            getattr(a, mode)()
            getattr(b, mode)()
            for mod in [*a.modules(), *b.modules()]:
                if isinstance(mod, torch.nn.Dropout):
                    mod.p = 0.0  # a 4-D dropout draws its mask in memory order: masks would differ
            xd = x.to(dtype)
            la = torch.nn.functional.cross_entropy(a(xd), y)
            lb = torch.nn.functional.cross_entropy(b(xd.contiguous(memory_format=torch.channels_last)), y)
            la.backward()
            lb.backward()
            pairs = [(p.grad, q.grad) for p, q in zip(a.parameters(), b.parameters()) if p.grad is not None]
            diffs[label] = (max(float((g - h).abs().max()) for g, h in pairs)
                            / max(float(g.abs().max()) for g, _ in pairs))
        from edgeling.core.training.fastpath import find_activation_pool_pairs, pool_before_activation

        pairs = len(find_activation_pool_pairs(model))
        configs = [(False, False), (True, False)] + ([(True, True)] if pairs else [])
        speeds = {c: [] for c in configs}
        for _ in range(3):
            for cl, reorder in configs:
                m = copy.deepcopy(model)
                m = m.to(memory_format=torch.channels_last) if cl else m
                xb = x.contiguous(memory_format=torch.channels_last) if cl else x
                opt = torch.optim.Adam(m.parameters())
                with pool_before_activation(m) if reorder else contextlib.nullcontext():
                    t0 = time.perf_counter()
                    for _ in range(steps):
                        loss = torch.nn.functional.cross_entropy(m(xb), y)
                        opt.zero_grad()
                        loss.backward()
                        opt.step()
                speeds[(cl, reorder)].append(steps / (time.perf_counter() - t0))
        med = {c: statistics.median(v) for c, v in speeds.items()}
        ratio = med[(True, False)] / med[(False, False)]
        extra = (f"; + pool/ReLU reordering ({pairs} pairs) {med[(True, True)] / med[(True, False)]:.2f}x more"
                 if pairs else "")
        print(f"  {arch:13s} gradient diff " + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items())
              + f"   speed ratio {ratio:.2f}{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=12000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--threads", type=int, help="torch threads (default: torch's default)")
    ap.add_argument("--families", action="store_true", help="also check channels_last per family")
    ap.add_argument("--no-reorder", action="store_true", help="engine without the pool/activation reordering")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    throughput(args.images, args.rounds, reorder=not args.no_reorder, threads=args.threads)
    if args.families:
        family_layouts()


if __name__ == "__main__":
    main()
