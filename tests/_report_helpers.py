"""Synthetic comparisons for the report tests, built directly as the tables the pipeline would produce."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

import polars as pl

from comparators.comparison import Comparison, RunChanges
from comparators.schema import frame
from comparators.signature import Signature
from comparators.options import load_options
from comparators.translate import TranslationSummary, untranslated_advice


@dataclass
class Claim:
    """One claim: the English wording, and per outlet the (original, English) passage that carries it."""

    text: str
    carried: dict[str, tuple[str, str | None]]
    partial: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def _id(*parts: object) -> str:
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def make_comparison(outlets: dict[str, str], claims: list[Claim], *, untranslated: frozenset[str] = frozenset(),
                    titles: dict[str, str] | None = None, urls: dict[str, str] | None = None,
                    title: str = "Synthetic event", description: str = "Made up for the report tests.",
                    changes: RunChanges | None = None, anchored: bool = False) -> Comparison:
    """A Comparison over `outlets` ({name: language}); languages in `untranslated` have no English, so their
    outlets' coverage is unknown, as the pipeline does it. Their passages join no claim, unless `anchored`:
    then they join the claim they carry (as names and numbers let them) and are included in it."""
    titles, urls = titles or {}, urls or {}
    passages, claim_rows, coverage = [], [], []
    position = {outlet: 0 for outlet in outlets}

    def add_passage(outlet: str, original: str, english: str | None, claim_id: str | None) -> str:
        language = outlets[outlet]
        translated = language not in untranslated
        passage_id = "p" + _id(outlet, position[outlet], original)
        passages.append({
            "passage_id": passage_id, "article_id": "a-" + _id(outlet), "outlet": outlet, "language": language,
            "position": position[outlet], "start": 0, "end": len(original), "text": original,
            "text_en": english if translated else None,
            "engine": ("identity" if language == "en" else "apertium") if translated else None,
            "model": ("identity" if language == "en" else f"{language}-eng (test)") if translated else None,
            "claim_id": claim_id if translated or anchored else None,
        })
        position[outlet] += 1
        return passage_id

    for number, claim in enumerate(claims):
        claim_id = "c" + _id(number, claim.text)
        carriers = sorted(o for o in claim.carried if anchored or outlets[o] not in untranslated)
        claim_rows.append({"claim_id": claim_id, "text_en": claim.text, "n_outlets": len(carriers),
                           "outlets": carriers})
        for outlet in outlets:
            if outlet in claim.carried:
                original, english = claim.carried[outlet]
                passage_id = add_passage(outlet, original, english, claim_id)
                status = "unknown" if outlets[outlet] in untranslated and not anchored else "included"
                score = 100.0 if len(carriers) > 1 else None
            elif outlet in claim.partial:
                original, english = claim.partial[outlet]
                passage_id = add_passage(outlet, original, english, None)
                status, score = "partial", 70.0
            else:
                passage_id, score = None, None
                status = "unknown" if outlets[outlet] in untranslated else "omitted"
            if status == "unknown":
                passage_id, score = None, None
            coverage.append({"claim_id": claim_id, "outlet": outlet, "status": status, "score": score,
                             "passage_id": passage_id})
    articles = [{
        "article_id": "a-" + _id(outlet), "outlet": outlet, "language": language, "language_source": "declared",
        "declared_language": language, "title": titles.get(outlet, f"{outlet} on the event"),
        "url": urls.get(outlet, f"https://{_id(outlet)}.test/story"), "published": "2025-09-03T10:00:00Z",
        "digest": _id("digest", outlet), "n_passages": position[outlet], "text": "",
    } for outlet, language in outlets.items()]
    languages = sorted(set(outlets.values()))
    counts = {language: sum(1 for p in passages if p["language"] == language) for language in languages}
    translation = TranslationSummary(
        passages=counts,
        engines={language: ("identity", "identity") if language == "en" else ("apertium", f"{language}-eng (test)")
                 for language in languages if language not in untranslated},
        untranslated={language: "no engine installed for this language" for language in languages
                      if language in untranslated},
        advice={language: untranslated_advice(language, load_options(None)) for language in languages
                if language in untranslated})
    return Comparison(
        slug="synthetic", title=title, description=description, date="2025-09-03",
        articles=frame("articles", articles), passages=frame("passages", passages),
        alignments=frame("alignments", []), claims=frame("claims", claim_rows).sort(
            ["n_outlets", "claim_id"], descending=[True, False]),
        coverage=frame("coverage", coverage), translation=translation,
        signature=Signature({"parallax": "test", "translate": "synthetic", "corpus": "sha256:synthetic"}),
        changes=changes)


def large_comparison(n_outlets: int = 100, n_claims: int = 1200, seed: int = 7) -> Comparison:
    """Many outlets and claims, each claim carried by a random handful of outlets, a few languages untranslated."""
    rng = random.Random(seed)
    languages = ["en", "es", "fr", "de", "ru", "zh", "ja", "ar", "pt", "it"]
    outlets = {f"Outlet {index:03d}": languages[index % len(languages)] for index in range(n_outlets)}
    names = list(outlets)
    claims = []
    for number in range(n_claims):
        carriers = rng.sample(names, k=min(n_outlets, 1 + int(rng.paretovariate(1.2))))
        text = f"Claim {number:04d}: officials said {rng.randint(2, 90)} delegations attended the event."
        claims.append(Claim(text, {outlet: (f"[{outlets[outlet]}] {text}", text) for outlet in carriers}))
    return make_comparison(outlets, claims, untranslated=frozenset({"de"}), title="Large synthetic event")


# A small event: four outlets, one of them (German) untranslated, with an omission, an exclusive and 25 against 26.
SAMPLE_OUTLETS = {"Ledger": "en", "Faro": "es", "Courrier": "fr", "Abendpost": "de"}


def sample_claims() -> list[Claim]:
    return [
        Claim("Kim travelled by armoured train.", {
            "Ledger": ("Kim travelled by armoured train.", "Kim travelled by armoured train."),
            "Faro": ("Kim viajó en tren blindado.", "Kim travelled in armoured train."),
            "Courrier": ("Kim a voyagé en train blindé.", "Kim has travelled in armoured train."),
            "Abendpost": ("Kim reiste im Panzerzug.", None),
        }),
        Claim("26 foreign leaders attended.", {
            "Ledger": ("26 foreign leaders attended.", "26 foreign leaders attended."),
            "Faro": ("Asistieron 25 líderes extranjeros.", "25 foreign leaders attended."),
            "Courrier": ("26 dirigeants étrangers étaient présents.", "26 foreign leaders were present."),
        }),
        Claim("The parade lasted 70 minutes.", {
            "Ledger": ("The parade lasted 70 minutes.", "The parade lasted 70 minutes."),
            "Faro": ("El desfile duró 70 minutos.", "The parade lasted 70 minutes."),
        }),
        Claim("Kim's daughter came along.", {"Faro": ("Su hija lo acompañó.", "His daughter accompanied him.")}),
    ]


def sample_comparison() -> Comparison:
    return make_comparison(SAMPLE_OUTLETS, sample_claims(), untranslated=frozenset({"de"}))


def flagged_comparison() -> Comparison:
    """The sample, collected by `parallax collect`: Faro's article since removed from its address, Courrier's
    edited twice at it since first collected."""
    comparison = sample_comparison()
    comparison.articles = comparison.articles.with_columns(
        removed_on=pl.when(pl.col("outlet") == "Faro").then(pl.lit("2025-09-06")),
        first_collected_at=pl.lit("2025-09-03T08:00:00+00:00"),
        n_earlier_versions=pl.when(pl.col("outlet") == "Courrier").then(2).otherwise(0))
    return comparison

