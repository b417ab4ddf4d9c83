"""`parallax models list | available | install SOURCE | remove PAIR`: the Argos translation packages."""

from __future__ import annotations

from flows.terminal import say

PLACE = ("Packages are installed under the Parallax data folder, in <data dir>/argos-packages "
         "($PARALLAX_HOME, else ~/.local/share/parallax), not in argostranslate's own folder. The package "
         "index is argostranslate's: $ARGOS_PACKAGE_INDEX (the address of its folder or of its index.json), "
         "else the public Argos index.")


def register(subparsers) -> None:
    models = subparsers.add_parser(
        "models", help="list, find, install and remove Argos translation packages",
        description="Manage the Argos Translate packages that translate passages into English. " + PLACE
                    + " Exit status: 0 done; 2 a PAIR that is not FROM-TO; 1 a package refused or not found, or an "
                      "index not reachable.")
    actions = models.add_subparsers(dest="action", metavar="ACTION", required=True,
                                    help="list, available, install or remove")
    listing = actions.add_parser("list", help="installed Argos packages, and the Apertium pairs into English",
                                 description="List installed Argos packages (pair, version, folder), then the "
                                             "languages Apertium translates into English on this machine.")
    listing.set_defaults(handler=run_list)
    available = actions.add_parser("available", help="packages the Argos package index offers",
                                   description="Fetch the Argos package index and list its translate packages.")
    available.set_defaults(handler=run_available)
    install = actions.add_parser(
        "install", help="install a package from a file, a URL or the index",
        description="Install SOURCE: a path to an .argosmodel file, an http(s) URL of one, or a language pair "
                    "such as de-en looked up in the Argos package index (a pair the index only has through "
                    "another language installs both packages, e.g. de-es and es-en). Packages are checked "
                    "before they are installed: a zip with paths leaving its folder, a file that is no Argos "
                    "package and a model that cannot be loaded are refused. " + PLACE)
    install.add_argument("source", metavar="SOURCE", help="an .argosmodel path, an http(s) URL, or a pair like de-en")
    install.set_defaults(handler=run_install)
    remove = actions.add_parser("remove", help="remove the installed package for a pair",
                                description="Remove the installed package(s) for PAIR, e.g. de-en.")
    remove.add_argument("pair", metavar="PAIR", type=_pair, help="language pair, e.g. de-en")
    remove.set_defaults(handler=run_remove)


def _pair(text: str) -> str:
    """A PAIR that is not FROM-TO is a usage error (exit status 2), like any other malformed argument."""
    import argparse

    from comparators.argos_models import split_pair
    from comparators.errors import ModelNotFound

    try:
        split_pair(text)
    except ModelNotFound as error:
        raise argparse.ArgumentTypeError(f"{error}; {error.hint}") from None
    return text


def run_list(args, options) -> int:
    from comparators.apertium import THREE_LETTER, ApertiumEngine
    from comparators.argos_models import installed_models, packages_dir

    models = installed_models()
    if not models:
        say(f"argos     no packages installed in {packages_dir()}")
    for model in models:
        say(f"argos     {model.pair:<8} {model.version:<8} {model.path}")
    apertium = ApertiumEngine()
    for language in sorted(THREE_LETTER):
        model = apertium.model_for(language)
        if model:
            say(f"apertium  {language}-en    {model}")
    return 0


def run_available(args, options) -> int:
    from comparators.argos_models import available_models

    for model in available_models():
        say(f"{model.pair:<8} {model.version:<8} parallax models install {model.pair}")
    return 0


def run_install(args, options) -> int:
    from comparators.argos_models import install_model

    for model in install_model(args.source):
        say(f"installed {model.label} ({model.pair}) in {model.path}")
    return 0


def run_remove(args, options) -> int:
    from comparators.argos_models import installed_models, remove_model

    reached = _reaching_english(installed_models())
    for model in remove_model(args.pair):
        say(f"removed {model.label} ({model.pair})")
    left = installed_models()
    for language in sorted(reached - _reaching_english(left)):
        pairs = ", ".join(model.pair for model in left if model.from_code == language)
        if pairs:  # a pivot's first leg, useless without the leg just removed
            say(f"note: {pairs} no longer reaches English without {args.pair}; install {args.pair} again, or "
                f"{language}-en")
    return 0


def _reaching_english(models) -> set[str]:
    """The languages that installed packages translate into English, directly or through another language."""
    from comparators.argos import ArgosEngine

    engine = ArgosEngine(packages=models)
    return {model.from_code for model in models if engine.route(model.from_code)}
