"""Every command and argument is documented: in its --help and in docs/CLI.md."""

import argparse
import re

import pytest

from flows.cli import build_parser
from tests.conftest import REPO


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    return {name: (sub, helps.get(name)) for name, sub in action.choices.items()}


def test_every_command_has_a_section_in_docs_cli():
    documented = set(re.findall(r"^## parallax (\S+)", (REPO / "docs" / "CLI.md").read_text(), re.M))
    missing = sorted(set(subcommands()) - documented)
    assert not missing, f"commands without a '## parallax NAME' section in docs/CLI.md: {missing}"
    stale = sorted(documented - set(subcommands()))
    assert not stale, f"docs/CLI.md documents commands that do not exist: {stale}"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_and_argument_has_help(name):
    parser, summary = subcommands()[name]
    assert summary and parser.description, f"parallax {name} needs help= and description="
    for action in parser._actions:
        if not isinstance(action, argparse._HelpAction):
            assert action.help, f"parallax {name}: argument {action.dest!r} has no help"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_states_its_exit_status_in_help_and_docs(name):
    parser, _ = subcommands()[name]
    assert "Exit status:" in parser.description, f"parallax {name} --help does not state its exit status"
    docs = (REPO / "docs" / "CLI.md").read_text()
    section = re.search(rf"^## parallax {name}\n(.*?)(?=^## |\Z)", docs, re.M | re.S).group(1)
    assert re.search(r"[Ee]xit status", section), f"docs/CLI.md: parallax {name} does not state its exit status"
