"""A one-line progress display on the terminal: items done, rate, time left."""

from __future__ import annotations

import sys
import time


class ProgressLine:
    """Call with (label, done, total); redraws one stderr line, and ends it when done == total."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.started: dict[str, float] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        start = self.started.setdefault(label, time.monotonic())
        rate = done / max(time.monotonic() - start, 1e-6)
        left = (total - done) / rate if rate else 0.0
        end = "\n" if done >= total else ""
        print(f"\r{label}: {done}/{total}, {rate:.0f}/s, {left:.0f} s left  ", end=end, file=self.stream, flush=True)
