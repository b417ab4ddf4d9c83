"""The result of comparing one event: its tables and what it took to make them."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from .corpus import Problem
from .signature import Signature
from .translate import TranslationSummary


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

    @property
    def outlets(self) -> list[str]:
        return sorted(set(self.articles["outlet"]))

    def warnings(self) -> list[str]:
        """What a reader must know before trusting the result."""
        notes = [f"{problem.where}: {problem.message}" for problem in self.problems]
        if len(self.outlets) < 2:
            notes.append(f"only one outlet ({', '.join(self.outlets)}): nothing to compare")
        for language, reason in sorted(self.translation.untranslated.items()):
            count = self.translation.passages.get(language, 0)
            notes.append(f"{count} passage(s) in '{language}' not translated ({reason}): their outlets' "
                         f"coverage is 'unknown'; install a model with: parallax models install {language}-en")
        return notes
