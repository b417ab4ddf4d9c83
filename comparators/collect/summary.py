"""What a collection did: counts, and every failure with the source it came from. Partial failure is
reported, never silent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Failure:
    source: str  # the source's label, e.g. "sources[2] feed https://…/rss.xml"
    url: str | None  # the address that failed, when it is not the source's own
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.url}" if self.url and self.url not in self.source else self.source
        return f"{where}: {self.reason}"


@dataclass
class CollectSummary:
    event_dir: str
    sources: int = 0
    fetched: int = 0  # responses with a body
    listings: int = 0  # feeds, sitemaps and GDELT answers read (afresh, or as last time when unchanged)
    new: int = 0  # articles appended to articles.jsonl
    unchanged: int = 0  # answered 304, or the same content as the last fetch
    known: int = 0  # already in articles.jsonl: not requested again as a new page
    rechecked: int = 0  # pages collected on an earlier run asked for again, to catch edits and removals
    duplicates: int = 0  # same address, same text, or a near-identical (syndicated) copy of an article collected
    filtered: int = 0  # outside the source's keywords or date window
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)  # kept, but worth knowing (a language that was not declared)
    skipped: list[Failure] = field(default_factory=list)  # each duplicate and filtered page, with why
    barred: list[Failure] = field(default_factory=list)  # listed by a feed, sitemap or GDELT; robots.txt bars it
    revised: list[Failure] = field(default_factory=list)  # articles edited at their address since collected
    gone: list[Failure] = field(default_factory=list)  # articles whose page was removed since collected (kept)
    warc: str | None = None  # the WARC file this run appended to, relative to the event folder
    signature: str = ""

    @property
    def status(self) -> str:
        """"ok" with no failure; "partial" when something failed and something worked; "failed" otherwise."""
        if not self.failures:
            return "ok"
        worked = self.listings + self.new + self.unchanged + self.known + self.duplicates + self.filtered + len(self.barred)
        return "partial" if worked else "failed"

    def to_dict(self) -> dict:
        return {**asdict(self), "status": self.status}
