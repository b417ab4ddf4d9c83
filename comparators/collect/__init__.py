"""Collect: gather an event's coverage from the web (feeds, pages, sitemaps, GDELT) into its articles.jsonl.

Steps, one module each: sources (what event.toml asks for) → fetch + robots (the only network I/O) →
feeds / gdelt (listings parsed from bytes) → extract (trafilatura, then the cleaning stage) → dedupe →
warc (raw responses kept) → store (atomic append) → state (conditional requests next time). `run` composes them.
"""

from .run import collect_event, collect_signature
from .summary import CollectSummary, Failure

__all__ = ["CollectSummary", "Failure", "collect_event", "collect_signature"]
