"""The reproducibility signature: one piece per component, each built by the component that knows it
(in the manner of sacrebleu), joined into one line that every output carries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.metadata import version

from . import align
from .options import Options
from .translate import TranslationSummary
from .translate import signature as translation_signature
from .version import pipeline_version


@dataclass(frozen=True)
class Signature:
    components: dict[str, str]
    # The settings hashed into the "options" component, so a reader sees them, not only their hash.
    settings: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return "|".join(f"{name}:{value}" for name, value in self.components.items())

    def to_json(self) -> str:
        return json.dumps(self.components, ensure_ascii=False)


def build_signature(*, options: Options, translation: TranslationSummary, corpus_digest: str) -> Signature:
    return Signature({
        "parallax": pipeline_version(),
        "lang": f"langdetect-{version('langdetect')}+seed{options.language.seed}",
        "split": f"min{options.passages.min_chars}+max{options.passages.max_chars}",
        "translate": translation_signature(translation) or "none",
        "align": f"rapidfuzz-{version('rapidfuzz')}+{align.signature(options)}",
        "options": options.digest(),
        "corpus": f"sha256:{corpus_digest[:16]}",
    }, settings=options.shaping_results())
