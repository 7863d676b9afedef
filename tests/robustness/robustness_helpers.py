"""Helpers for the robustness suite: run the CLI the way a user does and check that a
problem is reported as one coded line naming the file, never as a traceback.

Not a conftest.py: tests/conftest.py already owns that module name, and the test files
import from both."""

import os
import re

import pytest
from typer.testing import CliRunner

from claimcheck.cli import app

runner = CliRunner()

# Enough English prose (over 25 words) for the language check to judge it.
ENGLISH = (
    "The city council approved the new budget on Tuesday after a long debate. The mayor said "
    "that the money would be spent on schools and roads, and that taxes would not rise this year."
)
OTHER_ENGLISH = (
    "Heavy rain flooded the northern valley on Friday and closed two bridges. Officials said that "
    "about 300 people had left their homes and that the army was helping with the rescue work."
)
GERMAN = (
    "Die Regierung hat am Montag neue Maßnahmen gegen die Inflation beschlossen. Der Minister "
    "erklärte, dass die Preise für Energie im kommenden Jahr sinken sollen. Die Opposition "
    "kritisierte den Plan als unzureichend und forderte eine Debatte im Parlament."
)


def compare(*args):
    """`claimcheck compare ARGS`, with stdout and stderr captured."""
    return runner.invoke(app, ["compare", *map(str, args)])


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.search(r"\berror\[E\d{3}\]", line)]


def assert_clean_error(result, code: str, name: str | None = None) -> str:
    """Exit 1 with exactly one coded error line (naming `name`) and no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = error_lines(result.output)
    assert len(lines) == 1, result.output
    assert f"error[{code}]" in lines[0], lines[0]
    if name:
        assert name in lines[0], lines[0]
    return lines[0]


def assert_ok(result):
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.fixture
def as_user():
    """Skip when permissions cannot be tested: root reads a chmod 000 file anyway."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root, which ignores file permissions")
