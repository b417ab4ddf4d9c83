"""Language-free anchors: what a passage still shares with its translations when nobody can read it.

Numbers (in any digits: "1,300", "1.300", "１３", "١٣") and names in Latin script ("Kavanaugh", "FBI", "KSWB-TV")
survive translation unchanged. They let a passage in a language with no translation engine join the claim it
tells, never more: such a passage cannot show that something is missing.
"""

from __future__ import annotations

import re
import unicodedata

from .normalize import STOPWORDS

_NUMBER = re.compile(r"\d+(?:[.,'\u00a0\u202f ]\d{3}(?!\d))*(?:[.,]\d+)?")
_GROUP = re.compile(r"(?<=\d)[.,'\u00a0\u202f ](?=\d{3}(?!\d))")
# A capitalised word or an acronym in Latin script, hyphenated parts included ("Jae-in", "KSWB-TV").
_LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z\u00c0-\u024f]*(?:-[A-Za-z\u00c0-\u024f]+)*\b")
_SENTENCE_START = re.compile(r"^\W*")


def anchors(text: str) -> frozenset[str]:
    """Numbers (digit grouping removed, "#" first) and Latin-script names (lower case, no accents) in `text`."""
    text = _ascii_digits(unicodedata.normalize("NFKC", text))
    found = {"#" + _GROUP.sub("", match.group()).replace(",", ".") for match in _NUMBER.finditer(text)}
    first_word = _SENTENCE_START.match(text).end()
    for match in _LATIN_NAME.finditer(text):
        name = _fold(match.group())
        if len(name) < 3 or name in STOPWORDS:
            continue
        if match.start() == first_word and not match.group().isupper():
            continue  # any sentence starts with a capital
        found.add(name)
    return frozenset(found)


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() and not char.isascii() else char
                   for char in text)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
