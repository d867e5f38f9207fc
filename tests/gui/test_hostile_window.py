"""The window on the hostile corpus: Open refuses each bad file with a message, and the
Runs tab shows damaged runs as damaged, beside the good ones, never an empty table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from resnet_studio.gui.main_window import open_windows
from resnet_studio.gui.runs_model import RunsModel
from tests.hostile.conftest import make_originals
from tests.hostile.test_corpus import MODELS, PROJECTS, RUNS

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    return make_originals(tmp_path_factory.mktemp("originals"))


@pytest.mark.parametrize("case", PROJECTS)
def test_open_refuses_a_hostile_project(window, dialogs, originals, tmp_path, case) -> None:
    path = PROJECTS[case](originals.project, tmp_path)
    before = window.document.network
    opened = window.open_path(path)
    if opened:  # a file that is valid after all (e.g. a deep but legal network)
        assert open_windows()[-1].document.path == path
        return
    (_, title, text), *_ = dialogs.of("warning")
    assert title == "Cannot open project" and "\n" not in text.strip()
    assert window.document.network == before and open_windows() == [window]


@pytest.mark.parametrize("case", MODELS)
def test_open_refuses_a_doctored_model_file(qtbot, window, dialogs, originals, tmp_path, case):
    path = MODELS[case](originals.torchscript, tmp_path)
    window.open_path(path)
    qtbot.waitUntil(lambda: dialogs.of("warning") != [], timeout=WAIT_MS)
    (_, title, text), *_ = dialogs.of("warning")
    assert title == "Cannot open model" and str(path) in text
    assert open_windows() == [window] and window.document.trained is None


@pytest.mark.parametrize("case", RUNS)
def test_runs_tab_shows_a_damaged_run_beside_the_good(originals, tmp_path, case) -> None:
    runs = tmp_path / "runs"
    shutil.copytree(originals.run, runs / "good")
    shutil.copytree(originals.run, runs / "bad")
    RUNS[case](runs / "bad")
    model = RunsModel()
    model.load_from_disk(runs)
    by_path = {Path(e.path).name: e for e in model.entries()}
    assert by_path["good"].status == "finished"
    if "bad" in by_path and by_path["bad"].status == "damaged":
        assert by_path["bad"].reason  # says why
