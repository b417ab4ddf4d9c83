import pytest

from comparators.language import detect_language, normalize_language_code

SAMPLES = {
    "es": "El líder norcoreano llegó a Pekín en su tren blindado para asistir al desfile militar.",
    "fr": "Le dirigeant nord-coréen est arrivé à Pékin à bord de son train blindé pour assister au défilé.",
    "de": "Der nordkoreanische Machthaber kam mit seinem gepanzerten Zug nach Peking, um die Parade zu sehen.",
    "pt": "O líder norte-coreano chegou a Pequim no seu comboio blindado para assistir ao desfile militar.",
    "it": "Il leader nordcoreano è arrivato a Pechino con il suo treno blindato per assistere alla parata.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_detects_latin_script_languages(language, options):
    guess = detect_language(SAMPLES[language], options=options)
    assert (guess.language, guess.source) == (language, "detected")


def test_detection_repeats(options):
    text = "Kim Jong Un en Pekín"
    assert len({detect_language(text, options=options).language for _ in range(20)}) == 1


@pytest.mark.parametrize("text, language", [
    ("金正恩抵达北京。", "zh"), ("金正恩が北京に到着した。", "ja"), ("김정은 베이징 도착", "ko"),
    ("Ким прибыл в Пекин.", "ru"), ("Кім прибув до Пекіна.", "uk"), ("وصل كيم إلى بكين", "ar"),
])
def test_short_texts_in_other_scripts_are_not_misread(text, language, options):
    assert detect_language(text, options=options).language == language


def test_declared_language_is_trusted_for_short_or_ambiguous_text(options):
    assert detect_language("Kim Jong Un, Xi Jinping", declared="ca", options=options).language == "ca"


def test_declared_language_yields_to_a_clear_contradiction(options):
    guess = detect_language(SAMPLES["es"], declared="en", options=options)
    assert (guess.language, guess.source) == ("es", "detected")
    assert detect_language("金正恩抵达北京参加阅兵式。", declared="en", options=options).language == "zh"


def test_normalize_language_code():
    assert [normalize_language_code(c) for c in ["ES", "pt_BR", "zh-CN", "xx", "english", "iw-IL", "in", "JI"]] == [
        "es", "pt", "zh", None, None, "he", "id", "yi"]


def test_a_declared_language_langdetect_does_not_know_is_kept(options):
    galician = "O presidente chegou á capital na súa viaxe oficial para asistir ao desfile militar do aniversario."
    assert detect_language(galician, declared="gl", options=options).language == "gl"
