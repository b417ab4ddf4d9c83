"""The single options object: shipped defaults from defaults.toml, overridden key by key by a user's file."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import OptionsError

CONFIG_ENV = "PARALLAX_CONFIG"
# The settings that shape what a run finds: its signature hashes them and run.json lists them. The others
# (caching, progress, threads, export, collection, scheduling) change how a run goes, not its tables or report's
# findings; the corpus digest covers what collection brought in.
RESULT_SECTIONS = ("corpus", "clean", "language", "passages", "translate", "align", "numbers")
HOW_NOT_WHAT = {"translate": {"cache", "progress_min_passages"}, "align": {"workers"}}


@dataclass(frozen=True)
class Range:
    """The values a number may take: from `least` (or above it, when `above`) to `most`; None is no bound."""

    least: float | None = None
    most: float | None = None
    above: bool = False

    def holds(self, value: float) -> bool:
        if self.least is not None and (value <= self.least if self.above else value < self.least):
            return False
        return self.most is None or value <= self.most

    def __str__(self) -> str:
        if self.least is not None and self.most is not None:
            return f"from {self.least} to {self.most}"
        if self.above:
            return f"above {self.least}"
        return f"of {self.least} or more" if self.least is not None else "of any size"


COUNT, POSITIVE, SHARE, PERCENT = Range(0), Range(1), Range(0, 1), Range(0, 100)
SECONDS = Range(0, above=True)
CONTRAST = Range(-100, 100)  # a similarity (0–100) minus a baseline (0–100)
# What each number in defaults.toml may be set to. A value outside it would fail minutes into a run (a batch
# size of 0), hang it (a timeout of 0) or quietly mean nothing (a probability of 2), so a user's file is held to
# it when read. Every number is listed (tests/test_options.py checks), so a new option needs a decision here.
RANGES = {
    "corpus.max_article_chars": POSITIVE, "clean.max_widget_line_chars": COUNT,
    "language.seed": Range(), "language.override_probability": SHARE, "language.min_chars_to_override": COUNT,
    "passages.min_chars": COUNT, "passages.max_chars": POSITIVE,
    "translate.batch_size": POSITIVE, "translate.argos_batch_size": POSITIVE, "translate.argos_workers": COUNT,
    "translate.beam_size": POSITIVE, "translate.max_decoding_length": POSITIVE,
    "translate.max_input_length": COUNT, "translate.progress_min_passages": COUNT,
    "align.keyword_prefix": POSITIVE, "align.baseline_prior": PERCENT, "align.baseline_prior_weight": COUNT,
    "align.floor": CONTRAST, "align.match": CONTRAST, "align.join": CONTRAST, "align.join_with_context": CONTRAST,
    "align.split_gain": CONTRAST, "align.piece_gain": CONTRAST, "align.partial": CONTRAST,
    "align.contain": PERCENT, "align.contain_length": COUNT, "align.contain_min_keywords": COUNT,
    "align.merged_length": COUNT, "align.merged_contain": PERCENT, "align.anchor_floor": PERCENT,
    "align.anchor_match": PERCENT, "align.anchor_join": PERCENT, "align.anchor_runner_up": SHARE,
    "align.workers": Range(-1),
    "report.page_size": POSITIVE, "report.upset_combinations": POSITIVE, "report.static_claims": COUNT,
    "report.outlet_claims": COUNT,
    "numbers.tolerance": SHARE,
    "export.row_group_prefetch": COUNT,
    "collect.timeout_seconds": SECONDS, "collect.total_timeout_seconds": SECONDS, "collect.retries": COUNT,
    "collect.backoff_seconds": COUNT, "collect.requests_per_second_per_host": COUNT, "collect.workers": POSITIVE,
    "collect.max_bytes": POSITIVE, "collect.max_redirects": COUNT, "collect.max_pages_per_source": POSITIVE,
    "collect.min_text_chars": COUNT, "collect.near_duplicate_ratio": PERCENT,
    "collect.near_duplicate_prefix_chars": POSITIVE, "collect.gdelt_max_records": Range(1, 250),
    "collect.gdelt_seconds_between_queries": COUNT, "collect.recheck_days": COUNT,
    "collect.recheck_every_hours": COUNT, "collect.commit_every_seconds": COUNT,
    "serve.dask_workers": POSITIVE, "serve.articles_per_task": POSITIVE, "serve.collections_per_host": POSITIVE,
    "serve.min_interval": SECONDS, "serve.keep_runs": COUNT,
}

# Options holding lists of regular expressions: each must compile, so a mistyped pattern is named when the file is
# read, not when the first article is cleaned.
PATTERN_LISTS = {"clean.junk_lines"}


class Section:
    """Read-only attribute access to one section of the options."""

    def __init__(self, name: str, values: Mapping[str, Any]):
        self._name = name
        self._values = dict(values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"option [{self._name}] {key} does not exist") from None

    def as_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._values)

    def __reduce__(self):  # pickling (Dask, process pools) must not go through __getattr__
        return Section, (self._name, self._values)


class Options:
    """All settings of a run. Build with `load_options`; never mutate, use `with_overrides`."""

    def __init__(self, values: Mapping[str, Mapping[str, Any]], *, locate: Callable[[str], str] | None = None):
        self._values = copy.deepcopy(dict(values))
        self._sections = {name: Section(name, section) for name, section in self._values.items()}
        self._locate = locate

    def where(self, name: str) -> str:
        """'file:line: ' where the options file sets the option `name` (dotted), for an error found after the
        file was read; '' for options not read from a file."""
        return f"{self._locate(name)}: " if self._locate else ""

    def __getattr__(self, name: str) -> Section:
        try:
            return self._sections[name]
        except KeyError:
            raise AttributeError(f"options have no section [{name}]") from None

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return copy.deepcopy(self._values)

    def __reduce__(self):  # pickling (Dask, process pools) must not go through __getattr__
        return Options, (self._values,)

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]], *, source: str = "overrides",
                       locate: Callable[[str], str] | None = None) -> "Options":
        """`locate` gives, for an option's dotted name, where the user set it (file and line) for an error."""
        return Options(_merge(self._values, overrides, locate or (lambda name: source)), locate=locate)

    def shaping_results(self) -> dict[str, dict[str, Any]]:
        """The settings of RESULT_SECTIONS, without those that only change how a run goes."""
        return {name: {key: copy.deepcopy(value) for key, value in self._values[name].items()
                       if key not in HOW_NOT_WHAT.get(name, ())}
                for name in RESULT_SECTIONS if name in self._values}

    def digest(self) -> str:
        """A hash of the settings shaping the results: equal for two runs that must find the same."""
        text = json.dumps(self.shaping_results(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def shipped_defaults() -> dict[str, dict[str, Any]]:
    text = resources.files("comparators").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_options(path: str | os.PathLike | None = None) -> Options:
    """Defaults, then the user's file (`path`, else $PARALLAX_CONFIG when set)."""
    options = Options(shipped_defaults())
    given = "--config" if path else f"${CONFIG_ENV}"  # where the user should look for a wrong path
    path = path or os.environ.get(CONFIG_ENV)
    if not path:
        return options
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        overrides = tomllib.loads(text)
    except FileNotFoundError:
        raise OptionsError(f"options file {path} does not exist", hint=f"check the path given to {given}") from None
    except OSError as error:  # a folder, or a file this user may not read
        raise OptionsError(f"options file {path} cannot be read ({error.strerror})",
                           hint=f"give {given} a readable TOML file") from None
    except UnicodeDecodeError as error:
        raise OptionsError(f"{path}: not UTF-8 text (byte 0x{error.object[error.start]:02x})",
                           hint="save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise OptionsError(f"{path}: not valid TOML ({error})", hint="fix the TOML syntax") from None
    return options.with_overrides(overrides, locate=lambda name: _where(path, text, name))


def _where(path: Path, text: str, name: str) -> str:
    """`path:line` of the line that sets the option `name` ('align.match', 'translate.engines.de', or a section:
    'align'), in a section, a sub-table or an inline table, else `path`."""
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([\w.-]+)\s*\]", line)
        if header:
            current = header.group(1)
            if current == name:
                return f"{path}:{number}"
            continue
        assigned = re.match(r"\s*[\"']?([\w-]+)[\"']?\s*[.=]", line)
        if not assigned:
            continue
        full = f"{current}.{assigned.group(1)}" if current else assigned.group(1)
        if name == full or name.startswith(f"{full}."):
            return f"{path}:{number}"
    return str(path)


def _merge(defaults: Mapping[str, Any], overrides: Mapping[str, Any], locate: Callable[[str], str],
           prefix: str = "") -> dict:
    merged = copy.deepcopy(dict(defaults))
    for key, value in overrides.items():
        name = f"{prefix}{key}"
        if key not in defaults:
            close = difflib.get_close_matches(key, list(defaults), n=1)
            known = (f"did you mean {prefix + close[0]!r}?" if close else
                     (f"[{prefix[:-1]}] has " if prefix else "the sections are ") + ", ".join(defaults))
            raise OptionsError(f"{locate(name)}: unknown option {name!r}", hint=known)
        default = defaults[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise OptionsError(f"{locate(name)}: option {name!r} must be a table",
                                   hint=f"write it as a [{name}] section" if not prefix
                                   else f"write e.g. {key} = {{ es = \"apertium\" }}")
            if default:
                merged[key] = _merge(default, value, locate, f"{name}.")
            else:
                merged[key] = {**default, **value}
        elif not _same_type(default, value):
            raise OptionsError(
                f"{locate(name)}: option {name!r} must be {type(default).__name__}, not {type(value).__name__}",
                hint=f"write e.g. {key} = {json.dumps(default, ensure_ascii=False)}")
        elif name in RANGES and not RANGES[name].holds(value):
            raise OptionsError(f"{locate(name)}: option {name!r} is {value}, out of range",
                               hint=f"use a value {RANGES[name]}")
        elif name in PATTERN_LISTS and (problem := _bad_pattern(value)):
            raise OptionsError(f"{locate(name)}: option {name!r} has {problem}",
                               hint="write Python regular expressions as TOML literal strings, e.g. 'Lee aquí: .*'")
        else:
            merged[key] = value
    return merged


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _bad_pattern(patterns: list) -> str | None:
    """What is wrong with the first unusable pattern of `patterns`, else None."""
    for pattern in patterns:
        if not isinstance(pattern, str):
            return f"{pattern!r}, which is not a string"
        try:  # as comparators/clean.py joins them: inside a group, so "(?i)…" is refused here, not there
            re.compile(f"(?:{pattern})")
        except re.error as error:
            return f"{pattern!r}, which is no regular expression ({error.msg})"
    return None
