"""Pages in legacy charsets are read as a browser reads them, even when the server's header and the bytes
disagree: the collected text is the page's text, without U+FFFD, C1 control characters or mojibake."""

from __future__ import annotations

import pytest

from comparators.collect import collect_event
from tests._collect_helpers import article_page, documents, fast_options, make_event, read_articles
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)

FRENCH = documents("fra")[5]  # "… Holly Willoughby d’un accord …": apostrophes that Latin-1 lacks
RUSSIAN = documents("rus")[11]
JAPANESE = documents("jpn")[3] + ["整理番号は①です。"]  # ① is in Windows' Shift_JIS, not in the standard's
GERMAN = documents("deu")[7]


def page_in(sentences: list[str], lang: str, meta: str | None, encoding: str) -> bytes:
    page = article_page(sentences, lang=lang).replace("© 2025 ", "")
    return page.replace('<meta charset="utf-8">', f'<meta charset="{meta}">' if meta else "").encode(encoding)


@pytest.mark.parametrize("sentences, lang, header, meta, encoding", [
    (FRENCH, "fr", "text/html; charset=ISO-8859-1", None, "cp1252"),
    (FRENCH, "fr", "text/html", "iso-8859-1", "cp1252"),
    (RUSSIAN, "ru", "text/html; charset=windows-1251", None, "cp1251"),
    (RUSSIAN, "ru", "text/html; charset=utf-8", "windows-1251", "cp1251"),  # a server's default header
    (JAPANESE, "ja", "text/html; charset=Shift_JIS", "Shift_JIS", "cp932"),
    (GERMAN, "de", "text/html; charset=iso-8859-1", "utf-8", "utf-8"),  # Apache's old default header
    (RUSSIAN, "ru", "text/html; charset=iso-8859-1", "windows-1251", "cp1251"),  # which decodes any byte
], ids=["fr-header-latin1", "fr-meta-latin1", "ru-header-1251", "ru-utf8-header-on-1251",
        "ja-shift-jis", "de-latin1-header-on-utf8", "ru-latin1-header-on-1251"])
def test_the_text_is_the_pages_text_whatever_the_labels_say(site, tmp_path, options, sentences, lang, header,
                                                            meta, encoding):
    url = site.add("/article.html", page_in(sentences, lang, meta, encoding), content_type=header)
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == [] and summary.new == 1
    [article] = read_articles(folder)
    assert article["language"] == lang
    words = [" ".join(sentence.split()) for sentence in sentences]  # trafilatura writes no-break spaces as spaces
    assert " ".join(article["title"].split()) == words[0]
    text = " ".join(article["text"].split())
    assert [sentence for sentence in words[1:] if sentence not in text] == []
