"""Inflate gzip or zlib data without letting it grow past a limit: a few kilobytes can inflate to gigabytes."""

from __future__ import annotations

import zlib


class InflatesTooFar(ValueError):
    """The data inflates past the limit; nothing past it was produced."""


def inflate(data: bytes, *, limit: int, headerless: bool = False) -> bytes:
    """`data` (gzip or zlib, whichever header it has; with `headerless`, a bare deflate stream) inflated; raises
    zlib.error when it is corrupt and InflatesTooFar when it would pass `limit` bytes."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS if headerless else zlib.MAX_WBITS | 32)
    inflated = inflater.decompress(data, limit + 1)
    if len(inflated) > limit or inflater.unconsumed_tail:
        raise InflatesTooFar(limit)
    return inflated
