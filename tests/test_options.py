import pytest

from comparators.errors import OptionsError
from comparators.options import RANGES, load_options, shipped_defaults
from comparators.translate import check_settings


def test_defaults_come_from_the_settings_file():
    options = load_options(None)
    assert options.align.match == shipped_defaults()["align"]["match"]


def test_user_file_overrides_key_by_key(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[align]\nmatch = 91\n[translate]\nengines = { es = "apertium" }\n')
    options = load_options(path)
    defaults = shipped_defaults()
    assert options.align.match == 91
    assert options.align.partial == defaults["align"]["partial"]
    assert options.translate.engines == {"es": "apertium"}
    assert options.translate.batch_size == defaults["translate"]["batch_size"]
    assert options.digest() != load_options(None).digest()


def test_the_digest_follows_what_shapes_results_not_how_a_run_goes():
    defaults = load_options(None)
    how = defaults.with_overrides({"translate": {"cache": False, "progress_min_passages": 10},
                                   "align": {"workers": 1}, "export": {"format": "csv"},
                                   "report": {"page_size": 20}, "collect": {"workers": 1}})
    assert how.digest() == defaults.digest()
    for section, key, value in [("translate", "beam_size", 5), ("numbers", "tolerance", 0.1),
                                ("align", "join_with_context", 8.0), ("passages", "max_chars", 300)]:
        changed = defaults.with_overrides({section: {key: value}})
        assert changed.digest() != defaults.digest(), (section, key)
        assert changed.shaping_results()[section][key] == value


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "env.toml"
    path.write_text("[passages]\nmax_chars = 300\n")
    monkeypatch.setenv("PARALLAX_CONFIG", str(path))
    assert load_options(None).passages.max_chars == 300


@pytest.mark.parametrize("content, message", [
    ("[align]\nmacth = 90\n", "unknown option 'align.macth'"),
    ("[nosuch]\nx = 1\n", "unknown option 'nosuch'"),
    # Nothing read [prefect] server: which server a run uses is PREFECT_API_URL's, else the local one's.
    ('[prefect]\nserver = "http://127.0.0.1:4200/api"\n', "unknown option 'prefect'"),
    ('[align]\nmatch = "high"\n', "option 'align.match' must be float, not str"),
    ("[align\n", "not valid TOML"),
])
def test_bad_user_files_are_named(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(OptionsError, match=message) as caught:
        load_options(path)
    assert str(path) in str(caught.value)


def test_missing_user_file(tmp_path, monkeypatch):
    with pytest.raises(OptionsError, match="does not exist") as caught:
        load_options(tmp_path / "absent.toml")
    assert caught.value.hint == "check the path given to --config"
    monkeypatch.setenv("PARALLAX_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(OptionsError, match="does not exist") as caught:
        load_options(None)
    assert caught.value.hint == "check the path given to $PARALLAX_CONFIG"


def test_options_path_that_is_a_folder_or_not_utf8(tmp_path):
    with pytest.raises(OptionsError, match="cannot be read") as caught:
        load_options(tmp_path)
    assert caught.value.hint == "give --config a readable TOML file"
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[report]\ntitle_suffix = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(OptionsError, match=r"latin.toml: not UTF-8 text \(byte 0xe9\)") as caught:
        load_options(latin)
    assert caught.value.hint == "save the file as UTF-8"


@pytest.mark.parametrize("content, line", [
    ("# mine\n[align]\nfloor = 6.0\nmacth = 90\n",
     "bad.toml:4: unknown option 'align.macth' — did you mean 'align.match'?"),
    ("[align]\nmatch = 15.0\n\n[nosuch]\nx = 1\n",
     "bad.toml:4: unknown option 'nosuch' — the sections are corpus, clean, language, passages, translate, align, "
     "report, numbers, export, collect, serve"),
    ('[align]\nmatch = "high"\n', "bad.toml:2: option 'align.match' must be float, not str — write e.g. match = 15.0"),
    ("[numbers]\ntolerance = 1.5\n", "bad.toml:2: option 'numbers.tolerance' is 1.5, out of range — use a value from 0 to 1"),
    ("[language]\noverride_probability = -0.1\n",
     "bad.toml:2: option 'language.override_probability' is -0.1, out of range — use a value from 0 to 1"),
    ("[report]\n\nstatic_claims = -1\n",
     "bad.toml:3: option 'report.static_claims' is -1, out of range — use a value of 0 or more"),
    ("[serve]\narticles_per_task = 0\n",
     "bad.toml:2: option 'serve.articles_per_task' is 0, out of range — use a value of 1 or more"),
    ("[collect]\ntimeout_seconds = 0\n",
     "bad.toml:2: option 'collect.timeout_seconds' is 0, out of range — use a value above 0"),
    ("[translate]\nengines = 3\n",
     "bad.toml:2: option 'translate.engines' must be a table — write e.g. engines = { es = \"apertium\" }"),
    ("translate = 3\n", "bad.toml:1: option 'translate' must be a table — write it as a [translate] section"),
    ("[clean]\njunk_lines = ['Lee aquí (.*']\n",
     "bad.toml:2: option 'clean.junk_lines' has 'Lee aquí (.*', which is no regular expression (missing ), "
     "unterminated subpattern) — write Python regular expressions as TOML literal strings, "
     "e.g. 'Lee aquí: .*'"),
    ("[clean]\njunk_lines = ['(?i)Lee aquí']\n",
     "bad.toml:2: option 'clean.junk_lines' has '(?i)Lee aquí', which is no regular expression (global flags not at "
     "the start of the expression) — write Python regular expressions as TOML literal strings, "
     "e.g. 'Lee aquí: .*'"),
    ("[clean]\njunk_lines = [3]\n",
     "bad.toml:2: option 'clean.junk_lines' has 3, which is not a string — write Python regular expressions as "
     "TOML literal strings, e.g. 'Lee aquí: .*'"),
])
def test_a_bad_value_is_one_line_naming_file_line_and_key_and_what_is_valid(tmp_path, content, line):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(OptionsError) as caught:
        load_options(path)
    assert f"{caught.value} — {caught.value.hint}" == f"{tmp_path}/{line}"


@pytest.mark.parametrize("content, line", [
    ('[translate]\nengines = { de = "deepl" }\n',
     "bad.toml:2: option 'translate.engines.de' is 'deepl', which is no engine — use one of 'auto', 'argos', "
     "'apertium'"),
    ('# mine\n[translate.engines]\nfr = "auto"\nde = "deepl"\n',
     "bad.toml:4: option 'translate.engines.de' is 'deepl', which is no engine — use one of 'auto', 'argos', "
     "'apertium'"),
    ('[translate]\ndefault_engine = "google"\n',
     "bad.toml:2: option 'translate.default_engine' is 'google', which is no engine — use one of 'auto', 'argos', "
     "'apertium'"),
    ('[translate]\nengines = { DE = "argos" }\n',
     "bad.toml:2: option 'translate.engines' names 'DE', which is no passage's language — write 'de'"),
    ('[translate]\n\nengines = { spa = "apertium" }\n',
     "bad.toml:3: option 'translate.engines' names 'spa', which is no passage's language — write 'es'"),
])
def test_a_bad_translation_engine_setting_names_file_and_line_too(tmp_path, content, line):
    """Engine names and languages are checked once the options are read, and still point at the line to fix."""
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(OptionsError) as caught:
        check_settings(load_options(path))
    assert f"{caught.value} — {caught.value.hint}" == f"{tmp_path}/{line}"


def test_every_number_has_a_range_that_its_default_keeps():
    numbers = {f"{section}.{key}": value for section, values in shipped_defaults().items()
               for key, value in values.items() if isinstance(value, (int, float)) and not isinstance(value, bool)}
    assert sorted(numbers) == sorted(RANGES), "list each number of defaults.toml in options.RANGES"
    assert [name for name, value in numbers.items() if not RANGES[name].holds(value)] == []
