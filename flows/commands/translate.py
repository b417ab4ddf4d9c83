"""`parallax translate --from LANG [TEXT | -]`: English from the engine a comparison would use, to check it by hand."""

from __future__ import annotations

import os
import sys

from flows.terminal import say, visible

ENGINES = ["auto", "argos", "apertium"]


def register(subparsers) -> None:
    translate = subparsers.add_parser(
        "translate", help="translate text into English with the engine a comparison would use",
        description="Print the English for TEXT (or standard input), one output line per input line, with the "
                    "engine [translate] picks for the language (argos where a package is installed, else "
                    "apertium). The engine and model go to standard error. The translation cache is not used, "
                    "so this always runs the engine. On a terminal, control characters in the English are shown "
                    "as escapes (\\x1b); a file or a pipe gets the English exactly. Exit status: 0 translated; 2 a "
                    "bad LANG or --engine; 1 text that is not UTF-8, or a language no engine handles (with what "
                    "would fix it).")
    translate.add_argument("--from", dest="language", required=True, metavar="LANG", type=_language,
                           help="ISO 639-1 code of the text's language, e.g. es, fr, de")
    translate.add_argument("text", nargs="?", default="-", metavar="TEXT",
                           help="text to translate; '-' or nothing reads standard input")
    translate.add_argument("--engine", choices=ENGINES,
                           help="engine to use instead of the one [translate] picks for LANG")
    translate.set_defaults(handler=run)


def _language(text: str) -> str:
    """LANG as an ISO 639-1 code ('ES', 'es-ES' and 'es_ES' are 'es'); any other is a usage error (exit status 2)."""
    import argparse

    from comparators.language import normalize_language_code, suggest_language_code

    language = normalize_language_code(text)
    if language is None:
        suggestion = suggest_language_code(text)
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 639-1 language code; " + (
            f"use {suggestion}" if suggestion else "use e.g. es, fr or de"))
    return language


def run(args, options) -> int:
    import polars as pl

    from comparators.errors import EngineUnavailable
    from comparators.translate import TARGET, translate_passages, untranslated_advice
    from flows.cli import EXIT_USAGE
    from flows.progress import translation_progress

    language = args.language
    if language == TARGET and args.engine not in (None, "auto"):
        # English passes through unchanged; running an engine over it would not check that engine.
        say(f"parallax translate: error: argument --engine: English is not translated, so --engine {args.engine} "
            "would not be used; leave it out, or give --from the language of the text", file=sys.stderr)
        return EXIT_USAGE
    lines = _lines(_read_text(args.text))
    overrides = {"cache": False}
    if args.engine:
        overrides["engines"] = {language: args.engine}
    settings = options.with_overrides({"translate": overrides}, source="parallax translate")
    passages = pl.DataFrame({"passage_id": [str(number) for number in range(len(lines))],
                             "language": [language] * len(lines), "text": lines})
    with translation_progress(passages, settings.translate.progress_min_passages) as progress:
        translated, summary = translate_passages(passages, options=settings, on_progress=progress)
    for note in summary.notes:  # e.g. an Argos package that cannot be loaded, and the engine used instead
        say(f"warning: {note}", file=sys.stderr)
    if language in summary.untranslated:
        hint = summary.advice[language]
        if args.engine == "apertium":  # not the options file's setting, which the advice names, picked Apertium
            hint = f"leave out --engine apertium; {untranslated_advice(language, options)}"
        raise EngineUnavailable(f"cannot translate '{language}': {summary.untranslated[language]}", hint=hint)
    engine, model = summary.engines[language]
    say(f"engine: {engine}, model: {model}", file=sys.stderr)
    # Exactly the English for a file or a pipe; on a terminal its control characters are shown, not run (Apertium
    # passes them through from the text).
    shown = visible if sys.stdout.isatty() else str
    for english in translated["text_en"]:
        print(shown(english))
    return 0


def _lines(text: str) -> list[str]:
    """The lines of `text` as `wc -l` and `paste` count them, ended by '\n' or '\r\n': `str.splitlines` also breaks
    at U+2028, a form feed or a lone '\r', which gave such a line two English lines and put every English line after
    it beside the wrong input line."""
    lines = text.removesuffix("\n").split("\n")
    return [line.removesuffix("\r") for line in lines]


def _read_text(text: str) -> str:
    """TEXT, or standard input for '-', decoded as UTF-8 here: a stray byte would otherwise reach the engine and
    end in a traceback."""
    from comparators.errors import TextNotUTF8

    if text == "-" and sys.stdin.isatty():  # else a user who left TEXT out sees nothing happen
        say("reading the text from standard input; end it with Ctrl-D", file=sys.stderr)
    raw = sys.stdin.buffer.read() if text == "-" else os.fsencode(text)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = "standard input" if text == "-" else "TEXT"
        raise TextNotUTF8(f"{where} is not UTF-8 text (byte {error.start + 1} is {raw[error.start]:#04x})") from None
