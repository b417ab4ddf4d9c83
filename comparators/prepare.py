"""Stages 1–3 for each article: clean, detect language, split into passages with offsets.

Per article, so a task runner can spread articles over workers.
"""

from __future__ import annotations

import hashlib

import polars as pl

from .clean import story_blocks
from .corpus import Article, Event
from .language import detect_language
from .options import Options
from .passages import split_passages
from .schema import frame


def prepare_article(article: Article, *, options: Options) -> tuple[dict, list[dict]]:
    """(article row, passage rows) for one article."""
    blocks = story_blocks(article.text, options=options)
    story = "\n".join(article.text[start:end] for start, end in blocks)
    guess = detect_language(story, declared=article.language, options=options)
    digest = hashlib.sha256(f"{article.outlet}\0{article.text}".encode()).hexdigest()
    spans = split_passages(article.text, blocks, options=options, language=guess.language)
    passages = [
        {
            "passage_id": "p" + hashlib.blake2b(f"{digest}:{start}:{end}".encode(), digest_size=8).hexdigest(),
            "article_id": article.id,
            "outlet": article.outlet,
            "language": guess.language,
            "position": position,
            "start": start,
            "end": end,
            "text": article.text[start:end],
        }
        for position, (start, end) in enumerate(spans)
    ]
    row = {
        "article_id": article.id, "outlet": article.outlet, "language": guess.language,
        "language_source": guess.source, "declared_language": article.language, "title": article.title,
        "url": article.url, "published": article.published, "digest": digest, "n_passages": len(passages),
        "text": article.text, "first_collected_at": article.first_collected_at,
        "collected_at": article.collected_at, "n_earlier_versions": article.earlier_versions,
        "removed_on": article.removed_on, "removed_note": article.removed_note,
    }
    return row, passages


def prepare_articles(event: Event, *, options: Options) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles, passages) frames for the whole event."""
    articles, passages = [], []
    for article in event.articles:
        row, rows = prepare_article(article, options=options)
        articles.append(row)
        passages.extend(rows)
    return frame("articles", articles), frame("passages_raw", passages)
