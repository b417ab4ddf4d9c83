"""The result of comparing one event: its tables and what it took to make them."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

import polars as pl

from .corpus import Event, Problem
from .signature import Signature
from .translate import TranslationSummary


_last_run_id = ""
_run_id_lock = threading.Lock()


def new_run_id() -> str:
    """A run id that sorts by start time to the microsecond ('20250903T101500Z-' and the microsecond in five hex
    digits, then a random one for runs of two processes in the same microsecond), so that keeping the newest runs
    keeps the right ones even when two start in the same second. Within a process, each id sorts after the last."""
    global _last_run_id
    with _run_id_lock:
        while True:
            now = datetime.now(timezone.utc)
            run_id = now.strftime("%Y%m%dT%H%M%SZ-") + f"{now.microsecond:05x}{secrets.randbelow(16):x}"
            if run_id > _last_run_id:
                _last_run_id = run_id
                return run_id


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class RunChanges:
    """What changed since the event's previous run (scheduled monitoring fills this in)."""

    previous_run_id: str
    new_outlets: list[str] = field(default_factory=list)
    new_claims: list[str] = field(default_factory=list)  # claim_ids
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (outlet, English text of a claim it no longer carries)
    # (outlet, address or id) of each article compared before whose text or headline is not what it was: an edit
    # at the same address shows in the claims only as a new claim and, at best, a dropped one.
    edited: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Comparison:
    slug: str
    title: str
    description: str
    date: str | None
    articles: pl.DataFrame
    passages: pl.DataFrame
    alignments: pl.DataFrame
    claims: pl.DataFrame
    coverage: pl.DataFrame
    signature: Signature
    translation: TranslationSummary
    problems: list[Problem] = field(default_factory=list)
    run_id: str = field(default_factory=new_run_id)
    started_at: str = field(default_factory=now_iso)
    changes: "RunChanges | None" = None
    # Where the corpus is and its licence (event.toml `license`): exported datasets cite them.
    corpus: dict = field(default_factory=dict)

    @property
    def outlets(self) -> list[str]:
        return sorted(set(self.articles["outlet"]))

    def warnings(self) -> list[str]:
        """What a reader must know before trusting the result."""
        notes = [f"{problem.where}: {problem.message}" for problem in self.problems]
        notes += self.translation.notes
        if len(self.outlets) < 2:
            notes.append(f"only one outlet ({', '.join(self.outlets)}): nothing to compare")
        for outlet in sorted(set(self.outlets) - set(self.passages["outlet"])):
            notes.append(f"{outlet}: no passage to compare (its text holds no sentence), so its coverage is "
                         "'unknown', not 'omitted'")
        unread = [code for code in self.corpus.get("languages", []) if code not in set(self.articles["language"])]
        if unread:
            notes.append(f"no article in {', '.join(repr(code) for code in unread)}, which event.toml's languages "
                         "name: collect that coverage, or take the language out of the list")
        for language, reason in sorted(self.translation.untranslated.items()):
            count = self.translation.passages.get(language, 0)
            notes.append(f"{count} passage(s) in '{language}' not translated ({reason}): their outlets' "
                         f"coverage is 'unknown'; {self.translation.advice[language]}")
        return notes


def event_fields(event: Event) -> dict:
    """What a Comparison takes from the event itself."""
    return {"slug": event.slug, "title": event.title, "description": event.description, "date": event.date,
            "problems": event.problems,
            "corpus": {"path": str(event.path.resolve()), "license": event.settings.get("license"),
                       "languages": event.languages, "sources": declared_sources(event.settings)}}


def declared_sources(settings: dict) -> list[dict]:
    """Each [[sources]] table of event.toml as {"type", "url"} or {"type", "keywords"}: where the coverage was
    collected from, for the dataset's `sources`. Tables `parallax collect` would refuse are left out."""
    declared = []
    for table in settings.get("sources") or []:
        if not isinstance(table, dict) or not isinstance(table.get("type"), str):
            continue
        if isinstance(table.get("url"), str):
            declared.append({"type": table["type"], "url": table["url"]})
        elif isinstance(table.get("keywords"), dict):
            words = {language: [word for word in words if isinstance(word, str)]
                     for language, words in table["keywords"].items() if isinstance(words, list)}
            declared.append({"type": table["type"], "keywords": words})
    return declared
