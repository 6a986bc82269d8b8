"""Every `urbangrid` command of ours explains itself with --help, in Chinese by default."""

import pytest
from django.core.management import get_commands, load_command_class

from urbangrid.commandbase import Command as OurBase

OURS = sorted(name for name, app in get_commands().items() if app.startswith("urbangrid."))


def test_there_are_commands_of_ours():
    assert {"demo", "grids", "locate", "catalog", "components"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_help_is_printed(name):
    command = load_command_class(get_commands()[name], name)
    assert isinstance(command, OurBase), f"{name} should derive from urbangrid.commandbase.Command"
    text = command.create_parser("urbangrid", name).format_help()
    assert f"urbangrid {name}" in text
    assert len(command.help) > 10
