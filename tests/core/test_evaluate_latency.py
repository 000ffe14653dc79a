"""The "milliseconds per answer" of a run is timed on one thread, as the exported files are in their runtimes:
on the training's threads one small prediction waited for the others (the shop walk: 23.9 ms on 2 threads,
0.11 ms on one, for one model on a busy 2-core machine; the app and the card said 0.096 and 0.025 ms). The
timing itself is a bench's job; this checks the threads it runs on, and that they are given back."""

from __future__ import annotations

import numpy as np
import torch

from edgeling.core.training.evaluate import latency_ms


class _Zoo:
    @staticmethod
    def apply_frontend(frontend, x):
        return x


class _Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.threads = []

    def forward(self, x):
        self.threads.append(torch.get_num_threads())
        return x * 2


def test_one_prediction_is_timed_on_one_thread_and_the_threads_are_given_back():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        model = _Model()
        assert latency_ms(model, {}, _Zoo, np.zeros(4, np.float32), repeats=5) >= 0
        assert model.threads and set(model.threads) == {1}
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_an_int8_run_is_timed_with_its_front_end_as_a_float_run_is(monkeypatch):
    """The speech GUI walk: a float run's 0.81 ms counts its log-mel features, its int8 run's 0.037 ms the network
    alone, read as 22 times faster. The int8 file's time now adds the front end's, timed the same way."""
    import time

    from edgeling.core.compress import int8
    from edgeling.core.training import evaluate

    class SlowFrontEnd:
        calls = []

        @staticmethod
        def apply_frontend(frontend, x):
            SlowFrontEnd.calls.append(torch.get_num_threads())
            time.sleep(0.002)
            return np.asarray(x, np.float32)

    monkeypatch.setattr(int8, "int8_file_outputs", lambda run, x: (np.full((len(x), 2), 0.5), 0.01))
    out, said, ms = evaluate.run_outputs(None, None, {}, SlowFrontEnd, np.zeros((3, 4), np.float32), "classification")
    assert said == "the int8 file in LiteRT" and out.shape == (3, 2)
    assert ms >= 0.01 + 2.0 and set(SlowFrontEnd.calls[1:]) == {1}      # the sleep's 2 ms, on one thread
