"""ApertiumEngine against the real Apertium installed from Debian's packages."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from comparators.apertium import ApertiumEngine
from comparators.errors import TranslationFailed
from tests.conftest import REPO

SENTENCES = {
    "es": ["El presidente habló ayer en Madrid sobre la economía.", "Los soldados marcharon por la plaza.",
           "La ciudad estaba llena de gente."],
    "fr": ["Le président a parlé hier à Paris.", "Les soldats ont défilé sur la place.",
           "La ville était pleine de monde."],
    "pt": ["O presidente falou ontem em Lisboa.", "Os soldados marcharam pela praça.",
           "A cidade estava cheia de gente."],
    "it": ["Il presidente ha parlato ieri a Roma.", "I militari hanno sfilato nella piazza.",
           "La città era piena di gente."],
}
# Words every correct rendering of the three sentences above contains, in order.
EXPECTED_WORDS = [("president",), ("soldiers",), ("city",)]


@pytest.fixture
def counting_apertium(tmp_path):
    """An `apertium` that logs each start to a file and then runs the real one."""
    log = tmp_path / "starts.log"
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec /usr/bin/apertium "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_translates_real_sentences_into_english(language):
    english = ApertiumEngine().translate(SENTENCES[language], source=language)
    assert len(english) == 3
    for sentence, words in zip(english, EXPECTED_WORDS):
        assert all(word in sentence.lower() for word in words), sentence


def test_french_portuguese_and_italian_go_through_spanish_and_name_both_packages():
    engine = ApertiumEngine()
    assert engine.route("es") == ["spa-eng"]
    assert engine.route("fr") == ["fr-es", "spa-eng"]
    model = engine.model_for("pt")
    assert "apertium-es-pt" in model and "apertium-eng-spa" in model
    assert any(character.isdigit() for character in model.split("apertium-eng-spa")[1])


def test_one_process_per_mode_for_a_whole_batch(counting_apertium):
    command, log = counting_apertium
    texts = SENTENCES["fr"] * 20
    english = ApertiumEngine(command=str(command)).translate(texts, source="fr")
    assert len(english) == 60 and english[0] == english[3]
    starts = [line for line in log.read_text().splitlines() if line != "-l"]
    assert starts == ["-u fr-es", "-u spa-eng"]


def test_blank_passages_keep_their_places_and_one_process_per_mode(counting_apertium):
    command, log = counting_apertium
    english = ApertiumEngine(command=str(command)).translate(["", "Hola.", "  ", "Adiós.", ""], source="es")
    assert english[0] == english[2] == english[4] == ""
    assert "Hello" in english[1] and "Goodbye" in english[3]
    assert [line for line in log.read_text().splitlines() if line != "-l"] == ["-u spa-eng"]


def test_unknown_word_marks_are_removed():
    english = ApertiumEngine().translate(["El zorblaxiano comió pescado en Qwertovia."], source="es")[0]
    assert "zorblaxiano" in english and "Qwertovia" in english
    assert not any(mark in english for mark in "*#@")


def test_passages_spanning_lines_stay_one_passage_each():
    texts = ["La casa es grande.\n\nTiene dos pisos.", "Hola", ""]
    english = ApertiumEngine().translate(texts, source="es")
    assert len(english) == 3
    assert "house" in english[0] and "floors" in english[0] and english[1] == "Hello"


def test_missing_apertium_or_mode_means_no_model(tmp_path):
    assert ApertiumEngine(command=str(tmp_path / "no-such-apertium")).model_for("es") is None
    engine = ApertiumEngine()
    assert engine.model_for("de") is None and engine.model_for("en") is None
    with pytest.raises(TranslationFailed):
        engine.translate(["Guten Tag"], source="de")


def test_handles_and_hashtags_of_the_source_keep_their_sign():
    # Both from the NTREX news documents; Apertium passes them through as written.
    texts = ["La cuenta @MerPolCC publicó un mensaje.", "El movimiento #MeToo creció (#EuTamén) en 2018."]
    english = ApertiumEngine().translate(texts, source="es")
    assert "@MerPolCC" in english[0]
    assert "#MeToo" in english[1] and "#EuTamén" in english[1]


@pytest.mark.parametrize("language, text", [
    ("es", "Visto en @elpais_es y #desfile ayer."), ("fr", "Publié par @le_monde sur #défilé hier."),
    ("eu", "@berria_eus kontuak #desfilea argitaratu zuen."), ("es", "#desfile")])
def test_handles_and_hashtags_go_through_as_written_not_translated(language, text):
    """Apertium translated their parts: '@elpais_es' came out '@elpais_is', '#desfile' 'parade'."""
    [english] = ApertiumEngine().translate([text], source=language)
    assert all(tag in english for tag in text.split() if tag[0] in "#@"), english


@pytest.mark.parametrize("texts", [["\x00", "Hola.", ".||.", "Adiós."], ["Hola.", ".||.", "Adiós.", "\x00\u00ad"]])
def test_a_passage_apertium_empties_and_one_shaped_like_the_marker_shift_no_translation(counting_apertium, texts):
    """Apertium drops NUL and the soft hyphen, so such a passage comes out empty; first or last in a batch, it took a
    marker's newline with it, a passage that is the marker line added one, and the English moved one passage over:
    'Hola.' was given '' and the NUL '.||. Hello.'. Either alone made the batch one process per passage."""
    command, log = counting_apertium
    english = ApertiumEngine(command=str(command)).translate(texts, source="es")
    by_text = dict(zip(texts, english))
    assert by_text["Hola."] == "Hello." and by_text["Adiós."] == "Goodbye." and by_text[".||."] == ".||."
    assert [by_text[text] for text in texts if text not in ("Hola.", "Adiós.", ".||.")] == [""]
    assert [line for line in log.read_text().splitlines() if line != "-l"] == ["-u spa-eng"]


def test_a_passage_shaped_like_the_marker_still_goes_in_the_one_process_of_its_batch(counting_apertium):
    command, log = counting_apertium
    english = ApertiumEngine(command=str(command)).translate(["Hola.", " .||. ", "Adiós."], source="fr")
    assert english == ["Hello.", ".||.", "Goodbye."]
    assert [line for line in log.read_text().splitlines() if line != "-l"] == ["-u fr-es", "-u spa-eng"]


def test_the_noncharacter_that_ends_apertiums_output_loses_no_text():
    """Apertium stops reading at U+FFFF and exits 0: 'La casa\\uffff es grande.' came out 'The house'."""
    english = ApertiumEngine().translate(["La casa\uffff es grande.", "El perro come pescado."], source="es")
    assert "house" in english[0] and "big" in english[0]
    assert "dog" in english[1] and "fish" in english[1]


MESSY = ["El precio ^subió$ / bajó <mucho> {según} [fuentes] \\ @ * # ayer.", "C:\\Users\\juan\\ termina en \\",
         "<b>La casa</b> &amp; a < b > c", "Visite https://elpais.com/a?b=1&c=2#frag o escriba a juan@example.com.",
         "El presidente 😀🇪🇸 habló 𝔸 ayer 👨‍👩‍👧.", "El\u200b presidente\u200d habló\u200e en\u202e Madrid\u202c.",
         "El presidente\x00 habló\x01 ayer\x1b[31m.", "El presidente\thabló.\r\n\r\nLa ciudad.\u2028Fin\x0c.",
         "!!! ... ???", "   \t \n", ".||.", "\n\n.||.\n\n", "\x00", "\u00ad", "ZZPH0ZZ y @cuenta", "#desfile",
         "[texto] y ]fin[", "x" * 20_000, ("La casa es grande. " * 1100)[:20_000], "\uffff"]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["es", "eu", "fr", "ro"])  # two direct modes, two through Spanish
def test_a_batch_of_messy_passages_gets_what_each_gets_alone(language):
    engine = ApertiumEngine()
    alone = {text: engine.translate([text], source=language)[0] for text in MESSY}
    for texts in (MESSY, MESSY[::-1]):
        assert engine.translate(texts, source=language) == [alone[text] for text in texts]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_thousand_passages_come_back_each_in_its_place(counting_apertium, language):
    command, log = counting_apertium
    texts = [f"N{number}N {MESSY[number % len(MESSY)][:200]} {SENTENCES['es' if language == 'es' else 'fr'][0]} "
             f"Q{number}Q" for number in range(1000)]
    english = ApertiumEngine(command=str(command)).translate(texts, source=language)
    assert len(english) == 1000
    assert all(text.startswith(f"N{number}N") and text.endswith(f"Q{number}Q") for number, text in enumerate(english))
    assert len([line for line in log.read_text().splitlines() if line != "-l"]) == (1 if language == "es" else 2)


def test_translate_gives_one_english_line_per_line_of_standard_input():
    """A line break is '\\n' or '\\r\\n' as `wc -l` and `paste` count them: U+2028 and a form feed split a line in two,
    and every line after them was printed beside the wrong input line."""
    lines = ["Hola.", "La casa\u2028es grande.", "El perro\x0ccome.", "", "Adiós."]
    done = subprocess.run([sys.executable, "-m", "flows.cli", "translate", "--from", "es"], cwd=REPO,
                          env=dict(os.environ), input="\r\n".join(lines).encode() + b"\r\n", capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    english = done.stdout.decode().split("\n")
    assert english[-1] == "" and len(english[:-1]) == len(lines)
    assert english[0] == "Hello." and "house" in english[1] and "dog" in english[2]
    assert english[3] == "" and english[4] == "Goodbye."
