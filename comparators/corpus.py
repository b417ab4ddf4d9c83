"""Stage 0, load: read an event folder (event.toml + articles.jsonl and/or files + manifest.csv) into plain records."""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from .errors import CorpusFormatError, CorpusNotFound, DuplicateArticleId, EmptyCorpus, UnknownLanguageCode
from .language import normalize_language_code, suggest_language_code
from .options import Options

ARTICLES_FILE = "articles.jsonl"
MANIFEST_FILE = "manifest.csv"
EVENT_FILE = "event.toml"
MANIFEST_COLUMNS = ("file", "outlet", "language", "url", "published", "title")
# Keys event.toml may hold: the event's text fields, read here; sources and outlets, read by `parallax collect`;
# schedule, read by `parallax serve`. Anything else is a typo that would otherwise pass silently.
EVENT_TEXT_KEYS = ("title", "description")
EVENT_KEYS = {*EVENT_TEXT_KEYS, "license", "date", "languages", "sources", "outlets", "schedule"}
# `license` is an id ("CC-BY-4.0") or a table of these, as a Data Package states a licence.
LICENSE_KEYS = ("name", "path", "title")
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
# json.loads pairs a high and a low surrogate escape into one character, so any left in a string stands alone.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True)
class Article:
    id: str
    outlet: str
    text: str
    title: str | None = None
    url: str | None = None
    language: str | None = None
    published: str | None = None
    source: str = ""  # file and line it came from, for messages
    # Written by `parallax collect`, else None: when this version and the first were collected, how many earlier
    # versions an edit at the same address replaced, and when the page was found gone and how.
    collected_at: str | None = None
    first_collected_at: str | None = None
    earlier_versions: int | None = None
    removed_on: str | None = None
    removed_note: str | None = None

    def collection_history(self) -> tuple:
        return (self.collected_at, self.first_collected_at, self.earlier_versions, self.removed_on,
                self.removed_note)


@dataclass(frozen=True)
class Problem:
    """Something skipped or doubtful in the input: counted and reported, never silent."""

    where: str
    message: str


@dataclass
class Event:
    path: Path
    slug: str
    title: str
    description: str = ""
    date: str | None = None
    languages: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)  # the whole event.toml, for sources and schedules

    @property
    def outlets(self) -> list[str]:
        return sorted({article.outlet for article in self.articles})

    def digest(self) -> str:
        """sha256 over the articles as read: the corpus part of the reproducibility signature."""
        hasher = hashlib.sha256()
        for article in sorted(self.articles, key=lambda a: a.id):
            record = [article.id, article.outlet, article.language, article.title, article.url, article.published]
            if any(value is not None for value in article.collection_history()):
                # The articles table carries it, so a reused run must not keep the previous one's (a removal
                # leaves the text as it was). Only then, so a corpus that has none keeps its digest.
                record.append(article.collection_history())
            hasher.update(json.dumps(record, ensure_ascii=False).encode())
            hasher.update(article.text.encode())
        return hasher.hexdigest()


def load_event(path: str | Path, *, options: Options) -> Event:
    """Read one event folder. Raises a CorpusFormatError naming file and line for bad input."""
    folder = Path(path)
    if folder.is_file():  # its event.toml or articles.jsonl, named instead of the folder holding it
        raise CorpusNotFound(f"{folder} is a file, not a corpus folder",
                             hint=f"pass the folder holding it: parallax compare {folder.parent}")
    if not folder.is_dir():
        raise CorpusNotFound(f"corpus folder {folder} does not exist")
    event = _read_event_file(folder)
    articles, manifest = folder / ARTICLES_FILE, folder / MANIFEST_FILE
    if not (articles.is_file() or manifest.is_file()):
        # An event declaring [[sources]] has not been collected yet: that is the step to name.
        hint = f"collect its [[sources]] first: parallax collect {folder}" if event.settings.get("sources") else ""
        raise EmptyCorpus(f"{folder} has neither {ARTICLES_FILE} nor {MANIFEST_FILE}", hint=hint)
    # Both count when both are there: files saved by hand and listed in manifest.csv, and the articles.jsonl that
    # `parallax collect` writes beside them. Reading only one would drop the other's outlets without a word.
    seen: dict[str, tuple[Path, int]] = {}
    if articles.is_file():
        _read_articles_jsonl(articles, event, seen, options)
    if manifest.is_file():
        _read_manifest(manifest, event, seen, options)
    _skip_repeats(event)
    if not event.articles:
        raise EmptyCorpus(f"{folder} holds no article with text" + _problem_suffix(event))
    return event


def _skip_repeats(event: Event) -> None:
    """Keep the first of articles an outlet published word for word twice (under two ids or addresses): passage
    ids derive from outlet, text and offsets, so a repeat would give two passages one id and count the outlet
    twice."""
    first: dict[tuple[str, str], str] = {}
    kept = []
    for article in event.articles:
        original = first.setdefault((article.outlet, article.text), article.id)
        if original == article.id:
            kept.append(article)
        else:
            event.problems.append(Problem(article.source, f"article {article.id!r} repeats article {original!r} "
                                                          f"of {article.outlet} word for word: skipped"))
    event.articles = kept


def _problem_suffix(event: Event) -> str:
    return f" ({len(event.problems)} skipped: {event.problems[0].message})" if event.problems else ""


def _read_event_file(folder: Path) -> Event:
    event_file = folder / EVENT_FILE
    event = Event(path=folder, slug=folder.resolve().name, title=folder.resolve().name)
    if not event_file.is_file():
        event.problems.append(Problem(str(event_file), "no event.toml: the folder name is used as the title"))
        return event
    text = _read_utf8(event_file)
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CorpusFormatError(event_file, getattr(error, "lineno", None), f"not valid TOML: {error}") from None
    _check_event_keys(settings, event_file, text)
    event.settings = settings
    event.title = str(settings.get("title") or event.title)
    event.description = str(settings.get("description") or "")
    raw_date = settings.get("date")
    event.date = raw_date.isoformat() if isinstance(raw_date, (date, datetime)) else (str(raw_date) if raw_date else None)
    languages, line = settings.get("languages", []), _key_line(text, "languages")
    if not isinstance(languages, list):
        raise CorpusFormatError(event_file, line, "'languages' must be a list of ISO 639-1 codes")
    event.languages = [_language_or_raise(str(code), event_file, line) for code in languages]
    return event


def _check_event_keys(settings: dict[str, Any], path: Path, text: str) -> None:
    for key in settings:
        if key not in EVENT_KEYS:
            raise CorpusFormatError(path, _key_line(text, key), f"unknown key {key!r}; allowed: "
                                                                f"{', '.join(sorted(EVENT_KEYS))}")
    for key in EVENT_TEXT_KEYS:
        if key in settings and not isinstance(settings[key], str):
            raise CorpusFormatError(path, _key_line(text, key), f"{key!r} must be a string in quotes")
    license = settings.get("license")
    if not (license is None or isinstance(license, str) or _is_license_table(license)):
        raise CorpusFormatError(path, _key_line(text, "license"), "'license' must be a string in quotes (an id such "
                                                                  "as \"CC-BY-4.0\") or a table of name, path and "
                                                                  "title strings, with name or path")
    if "date" in settings and not isinstance(settings["date"], (str, date)):  # a datetime is a date too
        raise CorpusFormatError(path, _key_line(text, "date"), "'date' must be a date such as 2025-09-03")


def _is_license_table(value: Any) -> bool:
    return (isinstance(value, dict) and bool(value) and set(value) <= set(LICENSE_KEYS)
            and all(isinstance(item, str) for item in value.values()) and bool(value.get("name") or value.get("path")))


def _key_line(text: str, key: str) -> int | None:
    """Line of a top-level key or table header in a TOML text, for messages (tomllib gives no positions)."""
    pattern = re.compile(rf"""^\s*(\[+\s*)?["']?{re.escape(key)}["']?\s*(=|\])""")
    return next((number for number, line in enumerate(text.splitlines(), 1) if pattern.match(line)), None)


def _read_utf8(path: Path, data: bytes | None = None) -> str:
    data = path.read_bytes() if data is None else data
    if b"\x00" in data[:8192]:
        raise CorpusFormatError(path, None, "is a binary file, not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CorpusFormatError(path, line, f"is not UTF-8 text (byte 0x{data[error.start]:02x})",
                                hint="save the file as UTF-8") from None


def _language_or_raise(code: str | None, path: Path, line: int | None) -> str | None:
    if code is None or str(code).strip() == "":
        return None
    normalized = normalize_language_code(str(code))
    if normalized is None:
        suggestion = suggest_language_code(str(code))
        raise UnknownLanguageCode(path, line, f"unknown language code {code!r}",
                                  hint=f"write {suggestion!r}, its ISO 639-1 code" if suggestion else "")
    return normalized


def _read_articles_jsonl(path: Path, event: Event, seen: dict[str, tuple[Path, int]], options: Options) -> None:
    text = _read_utf8(path)
    # Only "\n" ends a line: str.splitlines would also break at U+2028, U+0085 and other characters that JSON
    # strings may hold unescaped (json.dumps(..., ensure_ascii=False) writes them), cutting valid records apart.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusFormatError(path, number, f"not a JSON object ({error.msg} at column {error.colno})") from None
        if not isinstance(record, dict):
            raise CorpusFormatError(path, number, "each line must be a JSON object")
        _refuse_half_characters(record, path, number)
        _add_article(record, path, number, event, seen, options)


def _refuse_half_characters(record: dict, path: Path, line: int) -> None:
    """JSON may escape one half of a UTF-16 surrogate pair without the other (\\ud83c, text cut in the middle of an
    emoji by a tool counting UTF-16 units): no UTF-8 text can hold it, so it is refused here, naming the line,
    rather than failing later when the text is hashed or written."""
    for key, value in record.items():
        if isinstance(value, str) and (half := LONE_SURROGATE.search(value)):
            at = half.start()
            raise CorpusFormatError(path, line, f"{key!r} holds half a character at character {at} "
                                                f"(\\u{ord(value[at]):04x}, a lone UTF-16 surrogate, as when text is "
                                                f"cut in the middle of an emoji)",
                                    hint="remove it, or restore the whole character, and run again")


def _add_article(record: dict, path: Path, line: int, event: Event, seen: dict[str, tuple[Path, int]],
                 options: Options) -> None:
    where = f"{path}:{line}"
    for key in ("id", "outlet", "text"):
        if key not in record or record[key] is None:
            raise CorpusFormatError(path, line, f"missing required field {key!r}")
    if not isinstance(record["id"], (str, int)) or str(record["id"]).strip() == "":
        raise CorpusFormatError(path, line, "'id' must be a non-empty string")
    article_id = str(record["id"]).strip()
    if article_id in seen:
        first_path, first_line = seen[article_id]
        first = f"line {first_line}" if first_path == path else f"{first_path}:{first_line}"
        raise DuplicateArticleId(path, line, f"duplicate id {article_id!r} (first on {first})")
    seen[article_id] = (path, line)
    outlet = record["outlet"]
    if not isinstance(outlet, str) or not outlet.strip():
        raise CorpusFormatError(path, line, "'outlet' must be a non-empty string")
    body = record["text"]
    if not isinstance(body, str):
        raise CorpusFormatError(path, line, "'text' must be a string")
    published = _published(record.get("published"), path, line)
    language = _language_or_raise(record.get("language"), path, line)
    if not body.strip():
        event.problems.append(Problem(where, f"article {article_id!r} has empty text: skipped"))
        return
    if len(body) > options.corpus.max_article_chars:
        event.problems.append(Problem(
            where, f"article {article_id!r} has {len(body):,} characters, over corpus.max_article_chars "
                   f"({options.corpus.max_article_chars:,}): skipped"))
        return
    if isinstance(record.get("paywall_note"), str):  # written by `parallax collect`
        # A claim missing from a cut-off text may have been cut off, not left out: the reader must know.
        event.problems.append(Problem(
            where, f"article {article_id!r} of {outlet.strip()} {record['paywall_note']}; a claim it seems to "
                   "omit may have been cut off, not left out"))
    if isinstance(record.get("removed_note"), str):  # written by `parallax collect`
        # The article stays compared: its coverage was published. A vanished page must not pass unsaid, though.
        event.problems.append(Problem(
            where, f"article {article_id!r} of {outlet.strip()} {record['removed_note']}; it is compared as "
                   "collected"))
    event.articles.append(Article(
        id=article_id, outlet=outlet.strip(), text=body, title=_optional(record.get("title")),
        url=_optional(record.get("url")), language=language, published=published, source=where,
        **_collection_history(record)))


def _collection_history(record: dict) -> dict:
    """What `parallax collect` recorded of the article's page over time; None for what it did not (an article
    from manifest.csv, or a record written by hand)."""
    collected_at = _moment(record.get("collected_at"))
    versions = record.get("earlier_versions")
    note = record.get("removed_note") if isinstance(record.get("removed_note"), str) else None
    removed_on = _day(record.get("removed_on"))
    # A note written before removed_on was reads "was removed from its address: on <day> it …".
    if note and not removed_on and (day := re.search(r"\bon (\d{4}-\d{2}-\d{2})\b", note)):
        removed_on = _day(day[1])
    return {
        "collected_at": collected_at,
        "first_collected_at": _moment(record.get("first_collected_at")) or collected_at,
        "earlier_versions": len(versions) if isinstance(versions, list) else (0 if collected_at else None),
        "removed_on": removed_on,
        "removed_note": note,
    }


def _moment(value: Any) -> str | None:
    try:
        return datetime.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _day(value: Any) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _published(value: Any, path: Path, line: int) -> str | None:
    """An ISO 8601 `published` in one form, so that a table of them sorts and parses as one column: YYYY-MM-DD for
    a day, else YYYY-MM-DDTHH:MM:SS with the UTC offset given (Z as +00:00). ISO 8601 also allows 20250903T1000Z,
    2025-W36-3 or a space for the T; a time without a zone keeps none, as its zone is unknown."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise CorpusFormatError(path, line, f"'published' is not an ISO 8601 date: {value!r}") from None


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _read_manifest(path: Path, event: Event, seen: dict[str, tuple[Path, int]], options: Options) -> None:
    from .collect.extract import saved_page_text  # collect reads this module's file names: imported late

    # strict: an unclosed quote is an error, not a field that swallows the rest of the file. skipinitialspace: a
    # header typed as the README lists it ("file, outlet, language") names the columns, not " outlet".
    rows = csv.DictReader(io.StringIO(_read_utf8(path)), strict=True, skipinitialspace=True)
    files: dict[str, tuple[str, int]] = {}  # article id → the file that gave it, and its line
    for row, line in _csv_rows(rows, path):
        name = (row.get("file") or "").strip()
        file = (path.parent / name).resolve()
        if not name or path.parent.resolve() not in file.parents:
            raise CorpusFormatError(path, line, f"'file' must name a file inside {path.parent}: {name!r}")
        if file.suffix.lower() not in TEXT_SUFFIXES:
            raise CorpusFormatError(path, line, f"{name}: only {', '.join(sorted(TEXT_SUFFIXES))} files are read")
        if not file.is_file():
            raise CorpusFormatError(path, line, f"{name} does not exist")
        # The path, not the bare name: outlets' folders often hold files of the same name (lemonde/article.html).
        article_id = file.relative_to(path.parent.resolve()).with_suffix("").as_posix()
        if article_id in files:
            raise DuplicateArticleId(path, line, f"{name} and {files[article_id][0]} (line {files[article_id][1]}) "
                                                 f"would both be article {article_id!r}",
                                     hint="list each file once, and rename files that differ only in extension")
        files[article_id] = (name, line)
        body = _read_utf8(file)
        title = row.get("title")
        if file.suffix.lower() in {".html", ".htm"}:
            body, html_title = saved_page_text(body, url=row.get("url"))
            title = title or html_title
        elif file.suffix.lower() == ".md":
            body, heading = _markdown_to_text(body)
            title = title or heading
        record = {"id": article_id, "outlet": row.get("outlet"), "text": body, "language": row.get("language"),
                  "url": row.get("url"), "published": row.get("published"), "title": title}
        _add_article(record, path, line, event, seen, options)


def _csv_rows(rows: csv.DictReader, path: Path) -> Iterator[tuple[dict, int]]:
    """Each row with the line it starts on; bad CSV raises CorpusFormatError naming that line."""
    started = 1
    try:
        if rows.fieldnames:
            rows.fieldnames = [name.strip() for name in rows.fieldnames]
        missing = {"file", "outlet"} - set(rows.fieldnames or [])
        if missing:
            raise CorpusFormatError(path, 1, f"manifest lacks column(s) {', '.join(sorted(missing))}; "
                                             f"expected {', '.join(MANIFEST_COLUMNS)}")
        # A misspelt column ("langauge", "publised") would otherwise drop what it holds from every article.
        unknown = [name for name in rows.fieldnames if name and name not in MANIFEST_COLUMNS]
        if unknown:
            guess = difflib.get_close_matches(unknown[0], MANIFEST_COLUMNS, n=1)
            raise CorpusFormatError(path, 1, f"unknown column {unknown[0]!r}"
                                             + (f" (did you mean {guess[0]!r}?)" if guess else "")
                                             + f"; the columns are {', '.join(MANIFEST_COLUMNS)}")
        started = rows.line_num + 1
        for row in rows:
            # Counted back from the row's last line: the blank lines the reader passes over before a row would
            # otherwise count as its own, and name a line above it.
            yield row, rows.line_num - sum(value.count("\n") for value in row.values() if isinstance(value, str))
            started = rows.line_num + 1
    except csv.Error as error:
        raise CorpusFormatError(path, started, f"not valid CSV ({error})",
                                hint="close the quote opened on that line, or quote the whole field") from None


def _markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """The text a reader of the rendered file sees, one block per paragraph, heading, list item or quote, and the
    first top-level heading as title: markup (#, **, link targets, images) would otherwise become passages."""
    from markdown_it import MarkdownIt

    blocks, title, heading = [], None, None
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "heading_open":
            heading = token.tag
        elif token.type in ("code_block", "fence"):  # text indented four spaces is a code block: kept, not lost
            blocks.append(token.content.strip())
        elif token.type == "inline":
            text = "".join(" " if child.type in ("softbreak", "hardbreak") else child.content
                           for child in token.children or [] if child.type in _MARKDOWN_TEXT).strip()
            blocks.append(text)
            if heading == "h1" and title is None:
                title = text or None
            heading = None
    return "\n\n".join(block for block in blocks if block), title


_MARKDOWN_TEXT = {"text", "code_inline", "softbreak", "hardbreak"}  # not images, raw HTML or link targets
