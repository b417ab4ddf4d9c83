"""Argos Translate model packages: list the installed ones, list the index, install, remove.

Packages live in Parallax's data folder (`<data dir>/argos-packages`, so $PARALLAX_HOME moves them too), not in
argostranslate's own folder. The index is argostranslate's: $ARGOS_PACKAGE_INDEX, else its default. Reading
metadata, the index and downloads go through `argostranslate.package`; installing does not use its
`install_from_path`, which extracts any zip as it is, straight into the packages folder: a package is checked
first (one top folder, no path leaving it, metadata, a CTranslate2 model and a tokenizer that load), unpacked
beside the packages folder and moved in whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .errors import (CorruptModel, ModelNotFound, NoRoomForModel, NotAnArgosPackage, PackageIndexUnavailable,
                     UnsafeModelPackage)
from .paths import data_dir, process_alive

INDEX_ENV = "ARGOS_PACKAGE_INDEX"
TARGET = "en"
# A package bigger than this unpacked is refused: published models are 100–300 MB.
MAX_UNPACKED_BYTES = 4 * 1024**3
# A scratch folder of `_scratch`, with the kind of work and the id of the process that made it.
LEFTOVER = re.compile(r"\.argos-(?P<kind>incoming|download|removed)-(?P<pid>\d+)-\w+")


@dataclass(frozen=True)
class ModelPackage:
    """One Argos package, installed (`path` set) or offered by the index (`links` set)."""

    from_code: str
    to_code: str
    version: str
    path: Path | None = None
    links: tuple[str, ...] = ()

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    @property
    def label(self) -> str:
        """The package's name and version for messages, e.g. 'translate-de_en 1.9'."""
        return f"translate-{self.from_code}_{self.to_code} {self.version}"

    @property
    def model_id(self) -> str:
        """The model string recorded per passage, in the signature and in the translation cache's key, e.g.
        'translate-de_en 1.9 #3f2a09c41b7e': the version and a digest of the installed files, because a package
        rebuilt or retrained under the same version would otherwise be served the old model's cached English."""
        return f"{self.label} #{package_digest(self.path)}"


def package_digest(folder: Path) -> str:
    """The first 12 hex digits of a SHA-256 over an installed package's files (names and contents)."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    stats = tuple((path.relative_to(folder).as_posix(), path.stat().st_size, path.stat().st_mtime_ns)
                  for path in files)
    return _digest_of_files(folder, stats)


@lru_cache(maxsize=64)
def _digest_of_files(folder: Path, stats: tuple) -> str:
    """Keyed by each file's size and modification time too, so a model is read once per process, not per run."""
    digest = hashlib.sha256()
    for relative, _size, _mtime in stats:
        digest.update(relative.encode() + b"\0")
        with open(folder / relative, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def packages_dir() -> Path:
    folder = data_dir() / "argos-packages"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _scratch(kind: str) -> tempfile.TemporaryDirectory:
    """A scratch folder in the data folder for an install (unpacking), a download or a removal, named with this
    process's id, so that one a killed process left behind is known for what it is (`_clear_leftovers`)."""
    return tempfile.TemporaryDirectory(dir=data_dir(), prefix=f".argos-{kind}-{os.getpid()}-")


def _clear_leftovers() -> None:
    """Remove the scratch folders of installs, downloads and removals whose process died (kill -9, a power cut):
    an unpacked model takes hundreds of MB. An install killed between setting a pair's package aside and moving
    the new one in left that pair with neither: the package set aside goes back, unless the pair has one again."""
    for leftover in data_dir().iterdir():
        found = LEFTOVER.fullmatch(leftover.name)
        if not found or not leftover.is_dir() or process_alive(int(found["pid"])):
            continue
        set_aside = leftover / "retired"
        if found["kind"] == "incoming" and set_aside.is_dir():
            installed = {model.pair for model in installed_models()}
            for package in set_aside.iterdir():
                back = packages_dir() / package.name.removesuffix("-previous")
                if _pair_of(package) not in installed and not back.exists():
                    package.replace(back)
        shutil.rmtree(leftover, ignore_errors=True)


def _pair_of(folder: Path) -> str | None:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        return f"{metadata['from_code']}-{metadata['to_code']}"
    except (OSError, ValueError, TypeError, KeyError):
        return None


def installed_models() -> list[ModelPackage]:
    """The translate packages in the packages folder, sorted by pair; folders that are not packages are skipped."""
    package = configure_argostranslate()
    found = []
    for folder in sorted(packages_dir().iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        try:
            installed = package.Package(folder)
        except (OSError, ValueError, AttributeError, TypeError):  # metadata.json missing, not JSON, not an object
            continue
        if installed.type == "translate" and installed.from_code and installed.to_code:
            found.append(ModelPackage(installed.from_code, installed.to_code, installed.package_version, folder))
    return sorted(found, key=_pair_and_version)


def available_models() -> list[ModelPackage]:
    """The translate packages the Argos package index offers (fetched afresh)."""
    package = configure_argostranslate()
    index = Path(package.settings.local_package_index)
    index.unlink(missing_ok=True)
    package.update_package_index()
    if not index.exists():
        raise PackageIndexUnavailable(f"could not fetch the Argos package index {package.settings.remote_package_index}")
    try:
        offered = package.get_available_packages()
    except (ValueError, TypeError, AttributeError) as error:
        raise PackageIndexUnavailable(f"the Argos package index {package.settings.remote_package_index} "
                                      f"is not an Argos index ({error})") from None
    return sorted((ModelPackage(item.from_code, item.to_code, item.package_version, links=tuple(item.links))
                   for item in offered if item.type == "translate" and item.from_code and item.to_code),
                  key=_pair_and_version)


def install_model(source: str) -> list[ModelPackage]:
    """Install from an `.argosmodel` path, an http(s) URL, or a pair such as 'de-en' looked up in the index.

    A pair that the index only offers through another language installs both legs (e.g. de-es and es-en)."""
    if source.startswith(("http://", "https://")):
        with _scratch("download") as scratch:
            return [install_file(_download([source], Path(scratch) / "download.argosmodel"), source=source)]
    path = Path(source).expanduser()
    if path.exists() or source.endswith(".argosmodel"):
        return [install_file(path)]
    return [_install_from_index(leg) for leg in _index_route(source)]


def install_file(path: Path, *, source: str | Path | None = None) -> ModelPackage:
    """Check an `.argosmodel` file, unpack it and move it into the packages folder, replacing the same pair.

    `source` is what messages call the file: the URL or index package a download came from."""
    source = source or path
    if path.is_dir():
        raise NotAnArgosPackage(f"{path}: a folder, not an .argosmodel file")
    if not path.is_file():
        raise NotAnArgosPackage(f"{path}: no such file")
    top, metadata = check_package_file(path, source)
    folder = packages_dir()
    _clear_leftovers()
    with _scratch("incoming") as scratch:
        # The package and the packages it replaces each get a folder of their own, so that no package's top
        # folder name (a package may name it "retired") can collide with where the replaced ones are set aside.
        incoming, retired = Path(scratch) / "unpacked", Path(scratch) / "retired"
        incoming.mkdir()
        retired.mkdir()
        with zipfile.ZipFile(path) as archive:
            _check_room(archive, folder.parent, source)
            archive.extractall(incoming)
        unpacked = incoming / top
        check_loadable(unpacked, source)
        replaced = [model for model in installed_models()
                    if (model.from_code, model.to_code) == (metadata["from_code"], metadata["to_code"])]
        destination = folder / top
        moved = [(model.path, retired / model.path.name) for model in replaced]
        if destination.exists() and destination not in {model.path for model in replaced}:
            moved.append((destination, retired / f"{top}-previous"))
        for old, aside in moved:
            old.replace(aside)
        try:
            unpacked.replace(destination)
        except OSError:
            for old, aside in moved:
                aside.replace(old)
            raise
    return ModelPackage(metadata["from_code"], metadata["to_code"], str(metadata.get("package_version", "")),
                        destination)


def remove_model(pair: str) -> list[ModelPackage]:
    """Remove the installed package(s) for a pair such as 'de-en'."""
    from_code, to_code = split_pair(pair)
    removed = [model for model in installed_models() if (model.from_code, model.to_code) == (from_code, to_code)]
    if not removed:
        raise ModelNotFound(f"no installed package for {pair}")
    # Moved out of the packages folder first (a rename), so an interrupted removal never leaves half a package
    # where installed_models would find it.
    _clear_leftovers()
    with _scratch("removed") as retired:
        for model in removed:
            model.path.replace(Path(retired) / model.path.name)
    return removed


def check_package_file(path: Path, source: str | Path | None = None) -> tuple[str, dict]:
    """The top folder and metadata of a package zip, or a ModelPackageError saying what is wrong with it (naming
    the file `source`, by default its path)."""
    source = source or path
    if not zipfile.is_zipfile(path):
        raise NotAnArgosPackage(f"{source}: not a zip archive, so not an Argos package")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        tops = set()
        for member in members:
            _check_member(source, member)
            tops.add(PurePosixPath(member.filename).parts[0])
        if len(tops) != 1:
            raise NotAnArgosPackage(f"{source}: an Argos package holds exactly one folder, this holds {len(tops)}")
        top = tops.pop()
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
            raise UnsafeModelPackage(f"{source}: unpacks to more than {MAX_UNPACKED_BYTES // 1024**3} GiB")
        names = {member.filename.rstrip("/") for member in members}
        missing = [name for name in ("metadata.json", "model/model.bin") if f"{top}/{name}" not in names]
        if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names:
            missing.append("sentencepiece.model")
        if missing:
            raise NotAnArgosPackage(f"{source}: not an Argos translate package (missing {', '.join(missing)})")
        damaged = archive.testzip()
        if damaged:
            raise CorruptModel(f"{source}: {damaged} is damaged (checksum mismatch)")
        try:
            metadata = json.loads(archive.read(f"{top}/metadata.json"))
        except (ValueError, UnicodeDecodeError) as error:
            raise NotAnArgosPackage(f"{source}: metadata.json is not JSON ({error})") from None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate" \
            or not metadata.get("from_code") or not metadata.get("to_code"):
        raise NotAnArgosPackage(f"{source}: metadata.json does not describe a translate package with from_code "
                                "and to_code")
    return top, metadata


def check_loadable(folder: Path, source: str | Path) -> None:
    """Load the unpacked model and tokenizer once, so a damaged package is refused before it is installed."""
    import ctranslate2
    import sentencepiece

    try:
        if (folder / "sentencepiece.model").exists():
            sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
        ctranslate2.Translator(str(folder / "model"), device="cpu")
    except (RuntimeError, OSError, ValueError) as error:
        raise CorruptModel(f"{source}: the model cannot be loaded ({str(error).splitlines()[0][:200]})") from None


def _check_room(archive: zipfile.ZipFile, folder: Path, source: str | Path) -> None:
    """Refuse a package the disk cannot hold before unpacking it, rather than fill the disk and fail halfway."""
    needed = sum(member.file_size for member in archive.infolist())
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise NoRoomForModel(f"{source}: unpacks to {needed / 1024**2:,.0f} MiB, more than the "
                             f"{free / 1024**2:,.0f} MiB free in {folder}")


def _check_member(source: str | Path, member: zipfile.ZipInfo) -> None:
    name = member.filename
    parts = PurePosixPath(name).parts
    if (name.startswith(("/", "\\")) or "\\" in name or ":" in (parts[0] if parts else "") or ".." in parts
            or not parts):
        raise UnsafeModelPackage(f"{source}: entry {name!r} would be written outside the package folder")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise UnsafeModelPackage(f"{source}: entry {name!r} is a symbolic link")


def _index_route(pair: str) -> list[ModelPackage]:
    """The index packages that take `pair`'s source to its target: direct, else through one other language."""
    from_code, to_code = split_pair(pair)
    offered = available_models()
    direct = [model for model in offered if (model.from_code, model.to_code) == (from_code, to_code)]
    if direct:
        return [direct[-1]]
    installed = {(model.from_code, model.to_code) for model in installed_models()}
    for first in reversed([model for model in offered if model.from_code == from_code]):
        second = [model for model in offered if (model.from_code, model.to_code) == (first.to_code, to_code)]
        if (first.to_code, to_code) in installed:
            return [first]
        if second:
            return [first, second[-1]]
    raise ModelNotFound(f"the Argos package index offers no package for {pair}, directly or through another language")


def _install_from_index(model: ModelPackage) -> ModelPackage:
    with _scratch("download") as scratch:
        return install_file(_download(list(model.links), Path(scratch) / f"{model.pair}.argosmodel"),
                            source=f"{model.label} from the package index")


def _download(links: list[str], destination: Path) -> Path:
    from argostranslate import networking

    configure_argostranslate()  # quietens argostranslate's logger, which would print each failed attempt
    data = networking.get_from(links, retry_count=1)
    if data is None:
        raise PackageIndexUnavailable(f"could not download {' or '.join(links)}")
    destination.write_bytes(data)
    return destination


def _pair_and_version(model: ModelPackage) -> tuple:
    """Sorts a pair's newest version last, reading versions as argostranslate does: '1.10' is newer than '1.9'."""
    from packaging.version import InvalidVersion, Version

    try:
        return model.pair, 1, Version(model.version), ""
    except InvalidVersion:
        return model.pair, 0, Version("0"), model.version


def split_pair(pair: str) -> tuple[str, str]:
    codes = pair.replace("_", "-").split("-")
    if len(codes) != 2 or not all(code.isalpha() for code in codes):
        raise ModelNotFound(f"{pair!r} is not a language pair", hint="write a pair as FROM-TO, e.g. de-en")
    return codes[0].lower(), codes[1].lower()


def configure_argostranslate():
    """argostranslate.package, pointed at Parallax's packages folder and the index named by $ARGOS_PACKAGE_INDEX.

    argostranslate reads its settings once, at import; these are set again on every call so that a changed data
    folder (another $PARALLAX_HOME) is honoured within one process."""
    from argostranslate import package, settings

    # argostranslate reports failures through its logger as well as its return values: keep them off stderr.
    logger = logging.getLogger("argostranslate.utils")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    folder = packages_dir()
    settings.package_data_dir = folder
    settings.package_dirs = [folder]
    index = os.environ.get(INDEX_ENV) or settings.package_index
    # argostranslate takes the index's folder; the address of index.json itself, as a browser shows it, works too.
    settings.remote_package_index = index if index.endswith(".json") else index.rstrip("/") + "/index.json"
    settings.local_package_index = folder.parent / "argos-index.json"
    return package
