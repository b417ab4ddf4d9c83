"""A one-line progress display on the terminal: items done, rate, time left."""

from __future__ import annotations

import sys
import time


class ProgressLine:
    """Call with (label, done, total); redraws one stderr line, and ends it when done == total."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.started: dict[str, tuple[float, int]] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        # The rate counts from the first call on: the items done by then (a batch, or the cache's hits) took an
        # unknown time, and counting them as done at once showed millions a second.
        now = time.monotonic()
        start, first = self.started.setdefault(label, (now, done))
        line = f"{label}: {done}/{total}"
        if done > first and now > start:
            rate = (done - first) / (now - start)
            line += f", {rate:.0f}/s, {(total - done) / rate:.0f} s left"
        end = "\n" if done >= total else ""
        print(f"\r{line}  ", end=end, file=self.stream, flush=True)
