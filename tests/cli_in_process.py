"""Running the ``resnet-studio`` command in the test's own process, as the CLI tests do."""

from __future__ import annotations

import pytest

from resnet_studio.cli import main

ERROR_PREFIX = "resnet-studio: error: "


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit status, stdout, stderr) of this call alone."""
    capsys.readouterr()  # drop what came before
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *fragments: str) -> str:
    """A user's mistake: exit status 2 and one line on stderr holding ``fragments``."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    assert lines[0].startswith(ERROR_PREFIX), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]
