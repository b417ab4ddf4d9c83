"""The translate stage on the demo event: which engine each language gets, what is recorded per passage, and a
rerun served from the translation cache."""

from __future__ import annotations

import io
import re
import sys
import threading

import polars as pl
import pytest

from comparators.apertium import ApertiumEngine
from comparators.argos import ArgosEngine
from comparators.argos_models import install_model, installed_models
from comparators.corpus import load_event
from comparators.errors import TranslationFailed
from comparators.prepare import prepare_articles
from comparators.translate import IdentityEngine, available_engines, choose_engine, signature, translate_passages
from comparators.translation_cache import TranslationCache
from tests._argos_helpers import argos_files  # noqa: F401 (fixture)
from tests.conftest import DEMO, REPO


class CountingApertium(ApertiumEngine):
    """The real Apertium, counting the passages it is asked to translate."""

    def __init__(self):
        super().__init__()
        self.sent = 0

    def translate(self, texts, *, source):
        self.sent += len(texts)
        return super().translate(texts, source=source)


@pytest.fixture(scope="module")
def demo_passages() -> pl.DataFrame:
    from comparators.options import load_options

    options = load_options(None)
    return prepare_articles(load_event(DEMO, options=options), options=options)[1]


def test_demo_event_goes_through_apertium_and_german_stays_unknown(demo_passages, options):
    apertium = CountingApertium()
    engines = [IdentityEngine(), ArgosEngine(), apertium]
    translated, summary = translate_passages(demo_passages, options=options, engines=engines)
    by_language = {language: frame for (language,), frame in translated.group_by("language")}
    for language in ("es", "fr", "pt", "it", "ca"):
        rows = by_language[language]
        assert set(rows["engine"]) == {"apertium"} and rows["text_en"].null_count() == 0
        assert summary.engines[language] == ("apertium", ApertiumEngine().model_for(language))
        assert any(character.isdigit() for character in rows["model"][0])  # the package version
    assert set(by_language["en"]["engine"]) == {"identity"}
    german = by_language["de"]
    assert german["text_en"].null_count() == german.height and german["engine"].null_count() == german.height
    assert summary.untranslated == {"de": "no engine installed for this language"}
    foreign = translated.filter(pl.col("language").is_in(["es", "fr", "pt", "it", "ca"])).height
    assert summary.translated == foreign and summary.cache_hits == 0
    assert apertium.sent == translated.filter(pl.col("language").is_in(["es", "fr", "pt", "it", "ca"]))[
        "text"].n_unique()

    again = CountingApertium()
    rerun, second = translate_passages(demo_passages, options=options, engines=[IdentityEngine(), ArgosEngine(), again])
    assert again.sent == 0 and second.cache_hits == foreign and second.translated == 0
    assert rerun["text_en"].to_list() == translated["text_en"].to_list()
    assert rerun["model"].to_list() == translated["model"].to_list()
    assert second.describe() == f"{foreign} passage(s) into English: 0 by an engine, {foreign} from the translation cache"
    english = demo_passages.filter(pl.col("language") == "en")
    assert translate_passages(english, options=options)[1].describe() == "none needed: every passage is in English"


def test_a_new_model_version_is_not_served_from_the_old_ones_cache(demo_passages, options):
    spanish = demo_passages.filter(pl.col("language") == "es")
    translate_passages(spanish, options=options, engines=[IdentityEngine(), ApertiumEngine()])

    class NewerApertium(CountingApertium):
        def model_for(self, source):
            return super().model_for(source) + " (newer)"

    newer = NewerApertium()
    _, summary = translate_passages(spanish, options=options, engines=[IdentityEngine(), newer])
    assert summary.cache_hits == 0 and newer.sent == spanish["text"].n_unique()


def test_english_cleaned_the_old_way_is_not_served_from_the_cache(options, tmp_path):
    """An entry from before handles kept their '@' was stored under the packages alone: a change in Parallax's
    cleanup of Apertium's output retires it, and the signature names the cleanup that made the English."""
    apertium = CountingApertium()
    model = apertium.model_for("es")
    before = model.split(" + ")[0]  # the model string as it was: the packages of the route only
    text = "La cuenta @MerPolCC publicó un mensaje."
    passages = pl.DataFrame({"passage_id": ["1"], "language": ["es"], "text": [text]})
    with TranslationCache(tmp_path / "cache.sqlite3") as cache:
        cache.store([(text, "The account MerPolCC published a message.")], engine="apertium", model=before)
        translated, summary = translate_passages(passages, options=options, cache=cache,
                                                 engines=[IdentityEngine(), apertium])
    assert summary.cache_hits == 0 and apertium.sent == 1 and "@MerPolCC" in translated["text_en"][0]
    assert model != before and translated["model"].to_list() == [model]
    assert signature(summary) == f"es-en:apertium={model}"


def test_auto_prefers_an_installed_argos_package_and_a_setting_can_pick_apertium(argos_files, options):
    install_model(str(argos_files["de-es"]))
    install_model(str(argos_files["es-en"]))
    engines = available_engines(options)
    assert [engine.name for engine in engines] == ["identity", "argos", "apertium"]
    assert choose_engine("es", engines, options).name == "argos"
    assert choose_engine("de", engines, options).name == "argos"  # through Spanish
    assert choose_engine("fr", engines, options).name == "apertium"
    assert choose_engine("ru", engines, options) is None
    spanish_by_apertium = options.with_overrides({"translate": {"engines": {"es": "apertium", "ru": "argos"}}})
    assert choose_engine("es", engines, spanish_by_apertium).name == "apertium"
    passages = pl.DataFrame({"passage_id": ["1", "2"], "language": ["ru", "de"], "text": ["Привет.", "Hallo."]})
    translated, summary = translate_passages(passages, options=spanish_by_apertium, engines=engines)
    assert summary.untranslated == {"ru": "argos has no model for this language"}
    route = re.compile(r"translate-de_es 1\.0 #[0-9a-f]{12} → translate-es_en 1\.1 #[0-9a-f]{12}")
    assert summary.engines["de"][0] == "argos" and route.fullmatch(summary.engines["de"][1])
    assert translated["model"][0] is None and route.fullmatch(translated["model"][1])


def test_a_model_that_cannot_be_loaded_gives_its_language_to_the_next_engine(argos_files, options):
    install_model(str(argos_files["es-en"]))
    [installed] = installed_models()
    (installed.path / "model" / "model.bin").write_bytes(b"damaged on disk")
    passages = pl.DataFrame({"passage_id": ["1", "2"], "language": ["es", "es"],
                             "text": ["El desfile duró setenta minutos.", "Kim llegó en tren."]})
    translated, summary = translate_passages(passages, options=options)
    assert summary.engines["es"][0] == "apertium" and summary.untranslated == {}
    assert "seventy minutes" in translated["text_en"][0] and set(translated["engine"]) == {"apertium"}
    [note] = summary.notes
    assert note.startswith("'es': translate-es_en 1.1 cannot be loaded") and note.endswith(
        "(reinstall it: parallax models install es-en); translated with apertium instead")
    only_argos = options.with_overrides({"translate": {"engines": {"es": "argos"}}})
    translated, summary = translate_passages(passages, options=only_argos)
    assert "cannot be loaded" in summary.untranslated["es"] and translated["text_en"].null_count() == 2


def test_batches_done_before_a_failure_are_kept_and_reported(options, tmp_path):
    """An engine that fails on its third batch: the language stays untranslated in this run, but the two batches
    it finished are in the cache and were reported, so the next run starts from them."""

    class FailsOnThirdBatch:
        name = "flaky"

        def model_for(self, source):
            return "flaky 1"

        def translate_batches(self, batches, *, source):
            for number, batch in enumerate(batches):
                if number == 2:
                    raise TranslationFailed("the engine stopped")
                yield [text.upper() for text in batch]

    texts = [f"frase número {number:03d}." for number in range(150)]
    passages = pl.DataFrame({"passage_id": [str(n) for n in range(150)], "language": ["es"] * 150, "text": texts})
    settings = options.with_overrides({"translate": {"engines": {"es": "flaky"}, "batch_size": 64}})
    progress = []
    with TranslationCache(tmp_path / "cache.sqlite3") as cache:
        translated, summary = translate_passages(passages, options=settings, cache=cache,
                                                 engines=[IdentityEngine(), FailsOnThirdBatch()],
                                                 on_progress=lambda *step: progress.append(step))
        assert summary.untranslated == {"es": "the engine stopped"} and translated["text_en"].null_count() == 150
        assert progress == [("es", 0, 150), ("es", 64, 150), ("es", 128, 150)]
        kept = cache.lookup(texts, engine="flaky", model="flaky 1")
    assert len(kept) == 128 and all(english == text.upper() for text, english in kept.items())


def test_the_progress_line_times_the_first_batch_too(options, tmp_path):
    """Real Apertium, 150 NTREX sentences in two batches: the rate shown is one Apertium reaches, not the first
    batch counted as done in no time."""
    from flows.progress import ProgressLine
    from tests._argos_helpers import ntrex_sentences

    texts = ntrex_sentences("spa")[:150]
    passages = pl.DataFrame({"passage_id": [str(n) for n in range(150)], "language": ["es"] * 150, "text": texts})
    shown = io.StringIO()
    settings = options.with_overrides({"translate": {"cache": False, "batch_size": 100}})
    translate_passages(passages, options=settings, engines=[IdentityEngine(), ApertiumEngine()],
                       on_progress=ProgressLine(shown))
    rates = [int(rate) for rate in re.findall(r"es: \d+/150, (\d+)/s", shown.getvalue())]
    assert len(rates) == 2 and all(0 < rate < 5000 for rate in rates), shown.getvalue()
    assert shown.getvalue().endswith("\res: 150/150, %d/s\x1b[K\n" % rates[-1])
    assert terminal_rows(shown.getvalue()) == ["es: 150/150, %d/s" % rates[-1], ""]


class Terminal(io.StringIO):
    """Standard error as a terminal: what is written, write by write."""

    def __init__(self):
        super().__init__()
        self.writes: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def terminal_rows(written: str) -> list[str]:
    """The rows a terminal shows for `written`: a carriage return goes back to the row's start, ESC [K erases to
    its end, and text overwrites what is under it."""
    rows, column = [""], 0
    for part in re.split(r"(\r|\n|\x1b\[K)", written):
        if part == "\r":
            column = 0
        elif part == "\n":
            rows, column = [*rows, ""], 0
        elif part == "\x1b[K":
            rows[-1] = rows[-1][:column]
        else:
            rows[-1] = rows[-1][:column] + part + rows[-1][column + len(part):]
            column += len(part)
    return rows


class Lockstep:
    """An engine whose `languages` languages translate each batch in step with each other, as the compare flow's
    threads may."""

    name = "lockstep"

    def __init__(self, languages: int = 2):
        self.step = threading.Barrier(languages, timeout=30)

    def model_for(self, source):
        return "lockstep 1"

    def translate_batches(self, batches, *, source):
        for batch in batches:
            self.step.wait()
            yield [text.upper() for text in batch]


class FrenchFailsWhileSpanishWaits(Lockstep):
    """Spanish stops after its first batch until `go_on` is set; French fails at its first batch."""

    def __init__(self):
        super().__init__(languages=1)
        self.first_batch_done, self.go_on = threading.Event(), threading.Event()

    def translate_batches(self, batches, *, source):
        for number, batch in enumerate(batches):
            if source == "fr":
                raise TranslationFailed("the engine stopped")
            if number == 1:
                self.first_batch_done.set()
                self.go_on.wait(timeout=30)
            yield [text.upper() for text in batch]


def translate_in_the_flow(language: str, options) -> None:
    from flows.compare import translate_task

    passages = pl.DataFrame({"passage_id": [f"{language}{n}" for n in range(30)], "language": [language] * 30,
                             "text": [f"{language} frase {n:02d}." for n in range(30)]})
    translate_task.fn(passages, options)


def test_languages_translated_at_once_share_the_progress_line_without_overwriting_each_other(options, monkeypatch):
    """The compare flow translates each language in a thread of its own: every redraw of the line names every
    language still running, and each finished language leaves one line with its count and rate."""
    terminal, engine = Terminal(), Lockstep()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr("comparators.translate.available_engines", lambda options: [IdentityEngine(), engine])
    settings = options.with_overrides({"translate": {"cache": False, "batch_size": 10, "progress_min_passages": 1}})
    threads = [threading.Thread(target=translate_in_the_flow, args=(language, settings)) for language in ("es", "fr")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    running, written = set(), ""
    for text in terminal.writes:
        written += text
        rows = terminal_rows(written)
        finished = {language for row in rows[:-1] for language in ("es", "fr") if row.startswith(f"{language}: 30/30")}
        running |= {language for language in ("es", "fr") if f"{language}: " in rows[-1]}
        if rows[-1]:
            assert all(f"{language}: " in rows[-1] for language in running - finished), rows
    assert "es: 0/30 · fr: 0/30" in written or "fr: 0/30 · es: 0/30" in written
    rows = terminal_rows(written)
    assert len(rows) == 3 and rows[-1] == "" and {row[:2] for row in rows[:-1]} == {"es", "fr"}, rows
    assert all(re.fullmatch(r"(es|fr): 30/30, \d+/s", row) for row in rows[:-1]), rows


def test_a_language_that_fails_halfway_leaves_the_shared_progress_line(options, monkeypatch):
    terminal, engine = Terminal(), FrenchFailsWhileSpanishWaits()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr("comparators.translate.available_engines", lambda options: [IdentityEngine(), engine])
    settings = options.with_overrides({"translate": {"cache": False, "batch_size": 10, "progress_min_passages": 1}})
    spanish = threading.Thread(target=translate_in_the_flow, args=("es", settings))
    spanish.start()
    assert engine.first_batch_done.wait(timeout=30)
    translate_in_the_flow("fr", settings)
    fr_ended = len(terminal.writes)
    engine.go_on.set()
    spanish.join(timeout=60)
    assert any("fr: 0/30" in text for text in terminal.writes[:fr_ended])
    assert not any("fr" in text for text in terminal.writes[fr_ended:]), terminal.writes
    rows = terminal_rows("".join(terminal.writes))
    assert len(rows) == 2 and re.fullmatch(r"es: 30/30, \d+/s", rows[0]) and rows[1] == "", rows


def test_no_progress_line_when_standard_error_is_not_a_terminal(options, monkeypatch):
    written = io.StringIO()
    monkeypatch.setattr(sys, "stderr", written)
    monkeypatch.setattr("comparators.translate.available_engines", lambda options: [IdentityEngine(), Lockstep(1)])
    settings = options.with_overrides({"translate": {"cache": False, "batch_size": 10, "progress_min_passages": 1}})
    translate_in_the_flow("es", settings)
    assert written.getvalue() == ""


def test_a_progress_line_for_many_languages_is_cut_to_the_terminal_not_wrapped():
    """A wrapped line cannot be redrawn: the carriage return goes back to its last row only."""
    from flows.progress import ProgressLine

    terminal = Terminal()  # no terminal size to read: 80 columns
    line = ProgressLine(terminal)
    for language in ("es", "fr", "pt", "it", "ca", "gl", "eu", "ro", "de", "ru", "zh", "ar"):
        line(language, 0, 300)
    [row] = terminal_rows("".join(terminal.writes))
    assert len(row) == 79 and row.startswith("es: 0/300 · fr: 0/300") and row.endswith("…")


def test_a_progress_label_cannot_act_on_the_terminal():
    """The line's own carriage returns and erasures are its only control characters."""
    from flows.progress import ProgressLine

    terminal = Terminal()
    line = ProgressLine(terminal)
    for done in (1, 2):
        line("es\x1b[2K\r\u202e", done, 2)
        line("fr", 0, 2)
    written = "".join(terminal.writes)
    assert written.replace("\r", "").replace("\x1b[K", "").replace("\n", "").isprintable()
    assert "es\\x1b[2K\\r\\u202e: 1/2 · fr: 0/2" in written and "es\\x1b[2K\\r\\u202e: 2/2" in written


def test_parallax_translate_clears_its_progress_line_before_saying_a_language_failed(options, monkeypatch):
    """Else the error's one line began after the unfinished count, on the same terminal row."""
    import argparse

    from comparators.errors import EngineUnavailable
    from flows.commands import translate as command

    class FailsOnSecondBatch(Lockstep):
        def translate_batches(self, batches, *, source):
            for number, batch in enumerate(batches):
                if number == 1:
                    raise TranslationFailed("the engine stopped")
                yield [text.upper() for text in batch]

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr("comparators.translate.available_engines",
                        lambda options: [IdentityEngine(), FailsOnSecondBatch(1)])
    settings = options.with_overrides({"translate": {"batch_size": 10, "progress_min_passages": 1}})
    text = "\n".join(f"frase {n:02d}." for n in range(30))
    with pytest.raises(EngineUnavailable, match="the engine stopped"):
        command.run(argparse.Namespace(language="es", text=text, engine=None), settings)
    assert "es: 10/30" in terminal.getvalue() and terminal_rows(terminal.getvalue()) == [""]


def test_the_progress_line_shows_from_progress_min_passages_on_as_defaults_toml_says(monkeypatch):
    from comparators.options import shipped_defaults
    from flows.progress import translation_progress

    assert "at least this many passages" in (REPO / "comparators" / "defaults.toml").read_text()
    monkeypatch.setattr(sys, "stderr", Terminal())
    minimum = shipped_defaults()["translate"]["progress_min_passages"]
    for count, shown in [(minimum - 1, False), (minimum, True)]:
        passages = pl.DataFrame({"passage_id": [str(n) for n in range(count)], "language": ["es"] * count})
        with translation_progress(passages, minimum) as line:
            assert (line is not None) == shown, count
