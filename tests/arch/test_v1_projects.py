"""Every version-1 project file reads as the version-1 reader read it.

``v1_projects/`` holds files written by the version-1 program (commit c5207f0, by
``v1_projects/make_v1_projects.py`` run with that code): every preset then built in, a
half-width net, a plain twin, a net that sets every field, and a hand-written file
without ids like the tests' JSON strings. ``expected.json`` holds what that reader made
of each: totals, and a digest of every row of the layers table (path, kind, shape,
parameters, multiply-adds, error).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from resnet_studio.arch.inference import infer
from resnet_studio.arch.project import INTRODUCED_IN, load_project, network_to_dict

FOLDER = Path(__file__).parent / "v1_projects"
EXPECTED = json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))


def _rows_digest(network) -> str:
    rows = "\n".join(
        f"{r.path} {r.kind} {r.output_shape} {r.params} {r.macs} {r.error}"
        for r in infer(network).rows
    )
    return hashlib.sha256(rows.encode()).hexdigest()


def _without_new_defaults(data: dict) -> dict:
    """``network_to_dict``'s output less the fields version 2 added, which must hold their
    defaults (a version-1 file cannot say otherwise)."""
    defaults = {
        "Residual.pad_placement": "end",
        "Residual.preactivation": False,
        "MaxPool2d.ceil_mode": False,
        "AvgPool2d.ceil_mode": False,
        "AvgPool2d.count_include_pad": True,
    }
    assert set(defaults) == {key for key in INTRODUCED_IN if "." in key}
    for node in data.get("body", []):
        for key, default in defaults.items():
            kind, field = key.split(".")
            if node["kind"] == kind:
                assert node.pop(field) == default
        _without_new_defaults(node)
    return data


def test_every_v1_file_has_its_expectation() -> None:
    files = {path.stem for path in FOLDER.glob("*.json")} - {"expected"}
    assert files == set(EXPECTED) and len(files) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_v1_file_reads_as_the_v1_reader_read_it(name: str) -> None:
    path = FOLDER / f"{name}.json"
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["version"] == 1
    network = load_project(path)
    summary = infer(network)
    expected = EXPECTED[name]
    assert (summary.total_params, summary.total_macs) == (
        expected["total_params"],
        expected["total_macs"],
    )
    assert _rows_digest(network) == expected["rows_sha256"]
    if name != "hand-written":  # it has no ids; the others were written with them
        assert _without_new_defaults(network_to_dict(network)) == written["network"]
