"""docs/cli.md's synopsis names every visible option of every command, and no option that is gone.

The synopsis is the console block at the top of ``docs/cli.md``: one entry per command, starting
``cfdetect COMMAND`` with continuation lines indented. A new option that is not documented, or a
documented option that was renamed or removed, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cfdetect.cli import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
_OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


def synopsis() -> dict[str, str]:
    """Each command's synopsis text, from the first console block of docs/cli.md."""
    block = DOC.read_text(encoding="utf-8").split("```console", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    command = None
    for line in block.splitlines():
        match = re.match(r"cfdetect (?:\[-q\] )?([a-z][\w-]*)", line)
        if match:
            command = match.group(1)
            entries[command] = line
        elif command and line.startswith(" "):
            entries[command] += " " + line.strip()
    return entries


def visible_commands() -> dict[str, Any]:
    group: Any = typer.main.get_command(app)  # typer's own click: duck-typed
    return {name: cmd for name, cmd in group.commands.items() if not cmd.hidden}


def option_names(command: Any) -> list[list[str]]:
    """Each visible option's spellings (``-o`` and ``--output`` are one option)."""
    return [
        [*param.opts, *param.secondary_opts]
        for param in command.params
        if param.param_type_name == "option" and not param.hidden and param.name != "help"
    ]


COMMANDS = sorted(visible_commands())


@pytest.mark.parametrize("name", COMMANDS)
def test_synopsis_names_every_option(name: str) -> None:
    text = synopsis().get(name)
    assert text is not None, f"docs/cli.md has no synopsis line for `cfdetect {name}`"
    written = set(_OPTION.findall(text))
    missing = [
        names[-1] for names in option_names(visible_commands()[name]) if not written & set(names)
    ]
    assert not missing, f"`cfdetect {name}` options missing from docs/cli.md: {missing}"


@pytest.mark.parametrize("name", COMMANDS)
def test_synopsis_names_no_removed_option(name: str) -> None:
    known = {spelling for names in option_names(visible_commands()[name]) for spelling in names}
    written = set(_OPTION.findall(synopsis().get(name, "")))
    assert not written - known, (
        f"docs/cli.md names options `cfdetect {name}` lacks: {written - known}"
    )


def test_every_documented_command_exists() -> None:
    assert not set(synopsis()) - set(visible_commands()) - {"--version"}
