"""Progress on the terminal: items done, rate, time left, on one line that redraws itself.

Labels that run at once (the compare flow translates its languages in parallel threads) share that one line,
each with its count, instead of each redrawing it over the others; a label that finishes leaves its last count,
with its rate, on a line of its own above it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from .terminal import visible

# The width used when the stream cannot say how wide its terminal is.
DEFAULT_COLUMNS = 80


@dataclass
class _Count:
    started: float
    first: int  # done at the first call: the rate counts from there
    done: int
    total: int


class ProgressLine:
    """Call with (label, done, total), from any thread; a label ends when done == total, or by `end`. For a
    terminal: callers check that the stream is one, as carriage returns are noise anywhere else."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def __call__(self, label: str, done: int, total: int) -> None:
        # The rate counts from the first call on: the items done by then (a batch, or the cache's hits) took an
        # unknown time, and counting them as done at once showed millions a second.
        now = time.monotonic()
        with self._lock:
            count = self._counts.setdefault(label, _Count(now, done, done, total))
            count.done, count.total = done, total
            if done < total:
                self._draw(now)
                return
            del self._counts[label]
            self._write(f"\r{_describe(label, count, now, finished=True)}\x1b[K\n")
            if self._counts:
                self._draw(now)

    def end(self, *labels: str) -> None:
        """Take labels that will not finish (their work failed or was interrupted) off the line."""
        with self._lock:
            ended = [self._counts.pop(label, None) for label in labels]
            if any(ended):
                if self._counts:
                    self._draw(time.monotonic())
                else:
                    self._write("\r\x1b[K")

    def _draw(self, now: float) -> None:
        if len(self._counts) == 1:
            [(label, count)] = self._counts.items()
            line = _describe(label, count, now)
        else:  # the labels run side by side: the time left is that of the slowest
            line = " · ".join(f"{visible(label)}: {count.done}/{count.total}" for label, count in self._counts.items())
            left = [_left(count, now) for count in self._counts.values() if _rate(count, now)]
            if left:
                line = f"{max(left):.0f} s left · {line}"
        # A line longer than the terminal wraps, and the carriage return then goes back to its last row only.
        width = self._columns() - 1
        if len(line) > width:
            line = line[:width - 1] + "…"
        self._write(f"\r{line}\x1b[K")

    def _columns(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or DEFAULT_COLUMNS
        except (AttributeError, ValueError, OSError):  # no file descriptor, or not a terminal
            return DEFAULT_COLUMNS

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _describe(label: str, count: _Count, now: float, *, finished: bool = False) -> str:
    """'es: 64/150, 120/s, 1 s left'; without the time left once finished."""
    line = f"{visible(label)}: {count.done}/{count.total}"
    rate = _rate(count, now)
    if rate:
        line += f", {rate:.0f}/s" if finished else f", {rate:.0f}/s, {_left(count, now):.0f} s left"
    return line


def _rate(count: _Count, now: float) -> float | None:
    """Items a second since the label's first call, or None before any were done."""
    if count.done > count.first and now > count.started:
        return (count.done - count.first) / (now - count.started)
    return None


def _left(count: _Count, now: float) -> float:
    return (count.total - count.done) / _rate(count, now)


_translation_line: ProgressLine | None = None
_translation_lock = threading.Lock()


@contextmanager
def translation_progress(passages, minimum: int) -> Iterator[ProgressLine | None]:
    """The progress line for translating `passages` (a frame with a language column), or None when they are
    fewer than `minimum` ([translate] progress_min_passages) or standard error is not a terminal. One line for
    the whole process: languages translated at once, in threads, show side by side on it. On leaving, a language
    that did not finish (it failed, or Ctrl-C) is taken off it, so that no message is written after its count."""
    global _translation_line
    if passages.height < minimum or not sys.stderr.isatty():
        yield None
        return
    with _translation_lock:
        if _translation_line is None or _translation_line.stream is not sys.stderr:
            _translation_line = ProgressLine(sys.stderr)
        line = _translation_line
    try:
        yield line
    finally:
        line.end(*passages["language"].unique().drop_nulls())
