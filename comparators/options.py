"""The single options object: shipped defaults from defaults.toml, overridden key by key by a user's file."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .errors import OptionsError

CONFIG_ENV = "PARALLAX_CONFIG"
# The settings that shape what a run finds: its signature hashes them and run.json lists them. The others
# (caching, progress, threads, export, collection, scheduling) change how a run goes, not its tables or report's
# findings; the corpus digest covers what collection brought in.
RESULT_SECTIONS = ("corpus", "clean", "language", "passages", "translate", "align", "numbers")
HOW_NOT_WHAT = {"translate": {"cache", "progress_min_passages"}, "align": {"workers"}}


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

    def __init__(self, values: Mapping[str, Mapping[str, Any]]):
        self._values = copy.deepcopy(dict(values))
        self._sections = {name: Section(name, section) for name, section in self._values.items()}

    def __getattr__(self, name: str) -> Section:
        try:
            return self._sections[name]
        except KeyError:
            raise AttributeError(f"options have no section [{name}]") from None

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return copy.deepcopy(self._values)

    def __reduce__(self):  # pickling (Dask, process pools) must not go through __getattr__
        return Options, (self._values,)

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]], *, source: str = "overrides") -> "Options":
        return Options(_merge(self._values, overrides, source))

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
        overrides = tomllib.loads(path.read_text(encoding="utf-8"))
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
    return options.with_overrides(overrides, source=str(path))


def _merge(defaults: Mapping[str, Any], overrides: Mapping[str, Any], source: str, prefix: str = "") -> dict:
    merged = copy.deepcopy(dict(defaults))
    for key, value in overrides.items():
        name = f"{prefix}{key}"
        if key not in defaults:
            raise OptionsError(f"{source}: unknown option {name!r}")
        default = defaults[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise OptionsError(f"{source}: option {name!r} must be a table")
            if default:
                merged[key] = _merge(default, value, source, f"{name}.")
            else:
                merged[key] = {**default, **value}
        elif not _same_type(default, value):
            raise OptionsError(
                f"{source}: option {name!r} must be {type(default).__name__}, not {type(value).__name__}"
            )
        else:
            merged[key] = value
    return merged


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))
