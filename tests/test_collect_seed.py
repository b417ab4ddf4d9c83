"""The seed article, served as a news page with its junk as separate elements, is collected with every line
of the story and none of the junk."""

from __future__ import annotations

import html
import re

import pytest

from comparators.collect import collect_event
from tests._collect_helpers import fast_options, make_event, read_articles
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)

# The seed's page junk: payment widgets, the reaction block and its counters, the dateline widget.
JUNK = re.compile(r"^(cards|Powered by paypal|What's Your Reaction\?|0|(Like|Dislike|Love|Funny|Angry|Sad|Wow) \2 0"
                  r"|Sep 3, 2025\W+04:33)$")


def seed_page(seed_text: str) -> tuple[str, list[str], list[str]]:
    """The page, the story's lines and the junk lines. Junk is wrapped as widgets, bullets become a list,
    short unpunctuated lines become headings, and the rest paragraphs — inside a menu, share bar and footer."""
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    story, junk, parts = [], [], []
    for line in lines[1:]:
        text = html.escape(line.lstrip("• "))
        if JUNK.match(line):
            junk.append(line)
            parts.append(f'<div class="widget">{html.escape(line)}</div>')
            continue
        story.append(line.lstrip("• "))
        if line.startswith("•"):
            parts.append(f"<ul><li>{text}</li></ul>")
        elif len(line) < 70 and not line.endswith((".", "?", "”", '"')):
            parts.append(f"<h2>{text}</h2>")
        else:
            parts.append(f"<p>{text}</p>")
    title = html.escape(lines[0])
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            '<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
            '<li><a href="/politics">Politics</a></li></ul></nav>'
            '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>'
            f'<article><h1>{title}</h1>{"".join(parts)}</article>'
            "<footer><p>© 2025 Example News. All rights reserved.</p><a href='/privacy'>Privacy</a></footer>"
            "</body></html>")
    return page, story, junk


def test_seed_is_collected_with_every_story_line_and_no_junk(site, seed_text, tmp_path, options):
    page, story, junk = seed_page(seed_text)
    assert len(story) > 40 and {"cards", "Powered by paypal", "Like Like 0"} <= set(junk)
    url = site.add("/kim-jong-un-in-china.html", page)
    folder = make_event(tmp_path / "seed", [{"type": "page", "url": url, "language": "en"}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == [] and summary.new == 1
    [article] = read_articles(folder)
    lines = article["text"].split("\n\n")
    missing = [line for line in story if line not in lines]
    assert not missing, f"story lines lost: {missing}"
    assert not [line for line in lines if JUNK.match(line)]
    assert "paypal" not in article["text"].lower() and "Like 0" not in article["text"]
    assert article["title"] == seed_text.splitlines()[0].strip()
    assert article["language"] == "en" and article["url"] == url
