"""Lines for the terminal that may carry text from outside Parallax: titles, outlet names and addresses from the
web, servers' messages quoted in failures, translations (Apertium passes control characters through).

A terminal runs a control character instead of showing it: a page could recolour, rewrite or erase the lines
around its own (ESC [2K), plant a link (OSC 8) or write the clipboard (OSC 52), and a newline or a carriage
return could forge a line of the summary. Every such character is shown as an escape instead (ESC as `\\x1b`),
and so are the bidirectional overrides and isolates, which would reorder the rest of the line they are on.
"""

from __future__ import annotations

import sys

_NAMED = {"\n": "\\n", "\r": "\\r"}
# C0 but the tab, which only moves the cursor on; DEL and C1 (U+009B is an 8-bit CSI); then the bidirectional
# embeddings, overrides and isolates.
_SHOWN = {code: _NAMED.get(chr(code), f"\\x{code:02x}") for code in [*range(0x20), *range(0x7F, 0xA0)]
          if chr(code) != "\t"}
_SHOWN.update({code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def visible(text: str) -> str:
    """`text` as one line a terminal shows as it is: each control character but the tab written as its escape."""
    return str(text).translate(_SHOWN)


def say(line: str, *, file=None, flush: bool = False) -> None:
    """Print `line` (standard output unless `file`), its control characters shown as escapes."""
    print(visible(line), file=file or sys.stdout, flush=flush)
