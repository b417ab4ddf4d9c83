"""Text as the comparators see it: case, accents, punctuation and digit grouping no longer tell passages apart.

Two English renderings of one sentence differ in wording far more than in content words, and machine
translation leaves some words untranslated ("the Asemblea of Wales"). So besides the normalized text, a passage
is reduced to its keywords: the words that are not English function words, cut to their first few letters,
which folds plurals and inflections ("investigations", "investigated") and many cognates together.
"""

from __future__ import annotations

import re
import unicodedata

# English function words: they say nothing about which statement a sentence makes.
STOPWORDS = frozenset("""
a an the of and or but nor to in on at by for from with without as than that which who whom whose this these
those is was were are be been being am has have had having do does did doing it its itself he she they we you
i his her hers their theirs our ours your yours them him us me my mine not no so if then there here what when
where why how all any some such also just only very can could would should will shall may might must into onto
over under about after before between out up down off again further once more most other own same too s t d ll
re ve m while during since until upon because though although whether either neither each every both few many
much one ones said says say told
""".split())
_DIGIT_GROUP = re.compile(r"(?<=\d)[.,'\u00a0\u202f ](?=\d{3}(?!\d))")
_NOT_WORD = re.compile(r"[^\w]+")


def normalize(text: str) -> str:
    """Lower case, no accents, "1,300" and "1.300" as "1300", punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", _DIGIT_GROUP.sub("", stripped)).split())


def keywords(text: str, *, prefix: int = 5, normalized: bool = False) -> list[str]:
    """The passage's content words, in order, each cut to its first `prefix` characters. `normalized`: `text` is
    already the output of `normalize`."""
    words = (text if normalized else normalize(text)).split()
    return [word[:prefix] for word in words if word not in STOPWORDS]


def keyword_key(text: str, *, prefix: int = 5, normalized: bool = False) -> str:
    """Keywords sorted and joined: compares what is said regardless of word order."""
    return " ".join(sorted(keywords(text, prefix=prefix, normalized=normalized)))
