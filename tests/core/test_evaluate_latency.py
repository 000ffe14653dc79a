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
