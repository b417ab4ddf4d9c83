"""Prefect's console log with outside text shown as escapes (flows.terminal.visible): a run's warnings and
failures quote outlet names, addresses and servers' messages, and libraries log what they found on pages.

Prefect's console handler writes a record as it is, so a page could rewrite the terminal or the journal it is
read in, or forge a whole log line with a newline. flows.server sets PREFECT_LOGGING_HANDLERS_CONSOLE_CLASS to
VisibleConsoleHandler before Prefect is imported; the flow runs' processes that `parallax serve` starts inherit
it. Prefect's format, colours and levels are kept: only the record's text changes.

A record's message is one line, its newlines shown as `\\n`. A traceback (--debug) keeps its own lines, each
escaped, and each exception's message in it is escaped as one line: a message's newline cannot forge a line.
(An exception group's traceback marks every line of its members with `|`: their messages' lines are escaped each.)
"""

from __future__ import annotations

import copy
import logging
import traceback

from prefect.logging.handlers import PrefectConsoleHandler

from flows.terminal import visible


class VisibleConsoleHandler(PrefectConsoleHandler):
    def format(self, record: logging.LogRecord) -> str:
        shown = copy.copy(record)  # other handlers (Prefect's API log) keep the record as it was
        shown.msg, shown.args = visible(record.getMessage()), None
        if record.exc_info:
            shown.exc_text = shown_traceback(*record.exc_info)
        elif record.exc_text:
            shown.exc_text = _lines_visible(record.exc_text)
        if record.stack_info:
            shown.stack_info = _lines_visible(record.stack_info)
        return super().format(shown)


def shown_traceback(error_type, error, trace) -> str:
    """The traceback as Python formats it, each exception's message (and note) in it made one visible line."""
    text = "".join(traceback.format_exception(error_type, error, trace))
    for raised in _chained(error):
        for line in traceback.format_exception_only(type(raised), raised):
            text = text.replace(line, visible(line.removesuffix("\n")) + "\n")
    return _lines_visible(text.removesuffix("\n"))


def _lines_visible(text: str) -> str:
    # Only "\n" separates lines: str.splitlines would also split at "\r", "\x1c" or "\x85", and so pass them on.
    return "\n".join(visible(line) for line in text.split("\n"))


def _chained(error: BaseException | None):
    """`error` and every exception its traceback shows: causes, contexts and a group's members."""
    seen, pending = set(), [error]
    while pending:
        raised = pending.pop()
        if raised is None or id(raised) in seen:
            continue
        seen.add(id(raised))
        yield raised
        pending.extend([raised.__cause__, raised.__context__, *getattr(raised, "exceptions", ())])
