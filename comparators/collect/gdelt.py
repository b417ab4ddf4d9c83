"""Collect, step 2 (GDELT): build DOC 2.0 API queries (ArtList, JSON) and read the articles they list.

One query per language of the source's `keywords`: the words OR'd together, restricted to that source
language, within the source's start/end window.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlencode

from ..errors import UnreadableSource
from ..options import Options
from .feeds import Item
from .sources import Source

# ISO 639-1 → the language names GDELT's sourcelang: operator and its "language" field use.
GDELT_LANGUAGES = {
    "af": "afrikaans", "ar": "arabic", "az": "azerbaijani", "be": "belarusian", "bg": "bulgarian",
    "bn": "bengali", "bs": "bosnian", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fa": "persian",
    "fi": "finnish", "fr": "french", "gl": "galician", "gu": "gujarati", "he": "hebrew", "hi": "hindi",
    "hr": "croatian", "hu": "hungarian", "hy": "armenian", "id": "indonesian", "is": "icelandic",
    "it": "italian", "ja": "japanese", "ka": "georgian", "kk": "kazakh", "kn": "kannada", "ko": "korean",
    "lt": "lithuanian", "lv": "latvian", "mk": "macedonian", "ml": "malayalam", "mn": "mongolian",
    "mr": "marathi", "ms": "malay", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pa": "punjabi",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "si": "sinhalese", "sk": "slovak",
    "sl": "slovenian", "so": "somali", "sq": "albanian", "sr": "serbian", "sv": "swedish", "sw": "swahili",
    "ta": "tamil", "te": "telugu", "th": "thai", "tl": "tagalog", "tr": "turkish", "uk": "ukrainian",
    "ur": "urdu", "vi": "vietnamese", "zh": "chinese",
}
_ISO_BY_NAME = {name: code for code, name in GDELT_LANGUAGES.items()}


def gdelt_queries(source: Source, *, options: Options) -> list[tuple[str, str]]:
    """(language, API URL) for each language of the source's keywords."""
    queries = []
    for language, words in source.keywords.items():
        terms = " OR ".join(f'"{word}"' if " " in word else word for word in words)
        query = f"({terms})" if len(words) > 1 else terms
        name = GDELT_LANGUAGES.get(language)
        if name:
            query += f" sourcelang:{name}"
        parameters = {"query": query, "mode": "ArtList", "format": "json",
                      "maxrecords": options.collect.gdelt_max_records, "sort": "DateDesc"}
        if source.start:
            parameters["startdatetime"] = source.start.strftime("%Y%m%d%H%M%S")
        if source.end:
            parameters["enddatetime"] = source.end.strftime("%Y%m%d%H%M%S")
        queries.append((language, f"{options.collect.gdelt_base_url}?{urlencode(parameters)}"))
    return queries


def parse_gdelt(body: bytes) -> list[Item]:
    """The articles of an ArtList JSON answer. GDELT answers errors as plain text; those raise, quoted."""
    try:
        answer = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError:
        text = " ".join(body.decode("utf-8", errors="replace").split())[:200]
        raise UnreadableSource(f"GDELT did not answer JSON: {text!r}") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("articles", []), list):
        raise UnreadableSource("GDELT's answer has no 'articles' list")
    items = []
    for article in answer.get("articles", []):
        if isinstance(article, dict) and isinstance(article.get("url"), str) and article["url"].strip():
            items.append(Item(url=article["url"].strip(), title=article.get("title") or None,
                              published=_seen(article.get("seendate")),
                              language=_ISO_BY_NAME.get(str(article.get("language", "")).lower()),
                              country=article.get("sourcecountry") or None))
    return items


def _seen(value) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
