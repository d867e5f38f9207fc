"""``resnet-studio diff A B``: what differs between two networks or runs.

A and B are each a project file (.json), a model file (.pt, .onnx), a run
folder or ``preset:NAME``. The networks are compared layer by layer (see
:mod:`resnet_studio.arch.diff`); two run folders also have their recipe, data
set and device compared (:mod:`resnet_studio.training.run_diff`).

Exit status, as ``diff(1)``: 0 the same, 1 different, 2 a mistake.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resnet_studio.arch.diff import (
    CHANGED,
    ONLY_A,
    ONLY_B,
    SAME,
    LayerDiff,
    NetworkDiff,
    Total,
    diff_networks,
    group_changes,
)
from resnet_studio.arch.inference import FOLDED, Row, format_shape
from resnet_studio.arch.presets import PRESETS, preset_network
from resnet_studio.arch.project import load_project
from resnet_studio.arch.spec import Network
from resnet_studio.cli_commands.common import CommandError, describe, format_table, is_model_file
from resnet_studio.cli_commands.summary import row_json
from resnet_studio.full_version import require_full_version

if TYPE_CHECKING:  # run folders and model files load what they need when the command runs
    from resnet_studio.training.run_diff import RunDiff
    from resnet_studio.training.runs import RunRecord

PRESET_PREFIX = "preset:"
EXIT_SAME, EXIT_DIFFERENT = 0, 1  # as diff(1); a mistake exits with 2
MARKERS = {SAME: " ", CHANGED: "~", ONLY_A: "-", ONLY_B: "+"}
LEGEND = "~ changed (A → B), - only in A, + only in B"
STATUS_WORDS = {CHANGED: "changed", ONLY_A: "only in A", ONLY_B: "only in B"}
# A list longer than this is shown by its length and first difference, not whole.
SHORT_LIST = 4
SOURCES = "a project file (.json), a model file (.pt, .onnx), a run folder or preset:NAME"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="what differs between two networks or runs",
        description="Compare two networks layer by layer (matched by path: kind, output "
        "shape, params, MACs, settings, layers in one only), with their totals; two run "
        "folders also have their recipe, data set and device compared. A and B are each "
        f"{SOURCES}. Exit status: 0 the same, 1 different, 2 a mistake.",
    )
    parser.add_argument("a", metavar="A", help=f"the first: {SOURCES}")
    parser.add_argument("b", metavar="B", help="the second, of the same kinds")
    parser.add_argument(
        "--all",
        action="store_true",
        help="list every layer, the same ones too, one line each (no folding)",
    )
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.set_defaults(func=run)


@dataclass
class Side:
    """One side of the comparison: where it came from, its network, its run if any."""

    text: str  # as the user typed it
    kind: str  # "preset", "project", "model file" or "run folder"
    network: Network
    run: RunRecord | None = None


def open_side(text: str) -> Side:
    """The network (and run) that ``text`` names; a :class:`CommandError` if nothing."""
    if text.startswith(PRESET_PREFIX):
        name = text.removeprefix(PRESET_PREFIX)
        if not name:
            raise CommandError(f"{text}: name a preset after 'preset:' ('presets' lists them)")
        return Side(text, "preset", preset_network(name))
    path = Path(text)
    if path.is_dir():
        from resnet_studio.training.runs import RUN_FILE, read_run

        if not (path / RUN_FILE).is_file():
            raise CommandError(f"{text}: a folder without {RUN_FILE}; give {SOURCES}")
        record = read_run(path)
        return Side(text, "run folder", record.network, record)
    if is_model_file(path):
        require_full_version("Reading a model file")
        from resnet_studio.model.load import read_network  # imports torch

        return Side(text, "model file", read_network(path))
    if text in PRESETS and not path.exists():
        raise CommandError(f"{text}: no such file; for the built-in network write preset:{text}")
    return Side(text, "project", load_project(path))


def run(args: argparse.Namespace) -> int:
    a, b = open_side(args.a), open_side(args.b)
    network = diff_networks(a.network, b.network)
    runs = None
    if a.run is not None and b.run is not None:
        from resnet_studio.training.run_diff import diff_runs

        runs = diff_runs(a.run, b.run)
    if args.json:
        print(json.dumps(diff_json(a, b, network, runs, args.all)))
    else:
        print("\n".join(diff_lines(a, b, network, runs, args.all)))
    identical = network.identical and (runs is None or runs.identical)
    return EXIT_SAME if identical else EXIT_DIFFERENT


# --- text ----------------------------------------------------------------------------


def diff_lines(
    a: Side, b: Side, network: NetworkDiff, runs: RunDiff | None, every_layer: bool
) -> list[str]:
    """The comparison as text: who is who, totals, layers, then the runs' settings."""
    lines = [_side_line("A", a), _side_line("B", b), ""]
    lines += _totals_lines(network.totals)
    lines.append("")
    lines += _layers_lines(network, every_layer)
    lines.append("")
    if runs is not None:
        lines += _runs_lines(runs)
    else:
        lines.append(
            "recipe and data: compared only between two run folders "
            f"(A is a {a.kind}, B a {b.kind})"
        )
    return lines


def _side_line(tag: str, side: Side) -> str:
    network = side.network
    run = f", run {side.run.name!r}, {side.run.status}" if side.run is not None else ""
    return f"{tag}: {network.name} ({side.text}{run}), {describe(network)}"


def _number(value: Any) -> str:
    if isinstance(value, tuple):  # a shape
        return format_shape(value)
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _totals_lines(totals: tuple[Total, ...]) -> list[str]:
    rows = []
    for total in totals:
        if total.name == "problems" and total.same and not total.a:
            continue  # both networks valid: no row for it
        rows.append([total.name, _number(total.a), _number(total.b), _change(total)])
    return format_table(["network", "A", "B", "difference"], rows, right={1, 2, 3})


def _change(total: Total) -> str:
    """``+2,752 (+1.0%)`` for numbers that differ; ``differs`` for others."""
    if total.same:
        return ""
    if not all(isinstance(v, int) for v in (total.a, total.b)):
        return "differs"
    delta = total.b - total.a
    percent = f" ({delta / total.a:+.1%})" if total.a else ""
    return f"{delta:+,}{percent}"


def _layers_lines(network: NetworkDiff, every_layer: bool) -> list[str]:
    counts = [f"{network.unchanged:,} the same"] + [
        f"{network.count(status):,} {STATUS_WORDS[status]}"
        for status in (CHANGED, ONLY_A, ONLY_B)
        if network.count(status)
    ]
    summary = f"layers: {', '.join(counts)}"
    if not network.changes:
        return [f"{summary}: the networks are the same"]
    legend = LEGEND
    if every_layer:
        rows = [_layer_cells(layer.path, layer, 0) for layer in network.layers]
    else:
        summary += " (--all lists every layer)"
        groups = group_changes(network.layers)
        rows = [_layer_cells(g.path, g.layer, g.inside) for g in groups]
        if any(g.members > 1 for g in groups):
            legend += "; a range such as layer1.0-8 stands for each of its repetitions"
    header = ["", "path", "kind", "output shape", "params", "MACs", ""]
    return [summary, *format_table(header, rows, right={4, 5}), legend]


def _layer_cells(path: str, layer: LayerDiff, inside: int) -> list[str]:
    """The cells of one line: marker, path, then each value, ``A → B`` where they differ."""
    a, b = layer.a, layer.b
    if a is None or b is None:
        row = layer.row
        note = f"and {inside:,} rows inside" if inside else ""
        return [
            MARKERS[layer.status],
            path,
            _kind(row),
            _shape(row),
            _count(row, row.params),
            _count(row, row.macs),
            note,
        ]
    notes = [f"{s.name} {_setting(s.a)} → {_setting(s.b)}" for s in layer.settings]
    if a.error != b.error:
        notes.append(f"error: {a.error or 'none'} → {b.error or 'none'}")
    return [
        MARKERS[layer.status],
        path,
        _pair(_kind(a), _kind(b)),
        _pair(_shape(a), _shape(b)),
        _pair(_count(a, a.params), _count(b, b.params)),
        _pair(_count(a, a.macs), _count(b, b.macs)),
        "; ".join(notes),
    ]


def _pair(a: str, b: str) -> str:
    return a if a == b else f"{a} → {b}"


def _kind(row: Row) -> str:
    return f"{row.kind} ×{row.repeats:,}" if row.kind == FOLDED else row.kind


def _shape(row: Row) -> str:
    return format_shape(row.output_shape)


def _count(row: Row, value: int) -> str:
    return f"{value:,}" if row.computed and row.output_shape is not None else "?"


def _setting(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "none" if value is None else str(value)


def _runs_lines(runs: RunDiff) -> list[str]:
    lines = []
    for section in runs.sections:
        fields = len(section.differences) + section.same
        if not section.differences:
            lines.append(f"{section.name}: the same ({fields} fields)")
            continue
        n = len(section.differences)
        lines.append(f"{section.name}: {n} differ{'s' if n == 1 else ''}, {section.same} the same")
        rows = [[d.name, *_value_pair(d.a, d.b)] for d in section.differences]
        table = format_table(["field", "A", "B"], rows, right=set())
        lines += ["  " + line for line in table]
    return lines


def _value_pair(a: Any, b: Any) -> tuple[str, str]:
    """Two values of a run setting as text; two long lists by their first difference."""
    if isinstance(a, list) and isinstance(b, list) and max(len(a), len(b)) > SHORT_LIST:
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        if first is None:  # one is the other plus more
            first = min(len(a), len(b))

        def at(values: list) -> str:
            item = _value(values[first]) if first < len(values) else "(none)"
            return f"{len(values):,} items, [{first}] {item}"

        return at(a), at(b)
    return _value(a), _value(b)


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "-" if value is None else str(value)


# --- JSON ----------------------------------------------------------------------------


def diff_json(
    a: Side, b: Side, network: NetworkDiff, runs: RunDiff | None, every_layer: bool
) -> dict:
    """The comparison as plain JSON data: every change, one path each (no folding)."""
    layers = network.layers if every_layer else network.changes
    return {
        "identical": network.identical and (runs is None or runs.identical),
        "a": _side_json(a),
        "b": _side_json(b),
        "network": {
            "identical": network.identical,
            "totals": {t.name: {"a": t.a, "b": t.b} for t in network.totals},
            "counts": {s: network.count(s) for s in (SAME, CHANGED, ONLY_A, ONLY_B)},
            "layers": [_layer_json(layer) for layer in layers],
        },
        "run": None if runs is None else _runs_json(runs),
    }


def _side_json(side: Side) -> dict:
    return {
        "source": side.text,
        "kind": side.kind,
        "network": side.network.name,
        "run": side.run.name if side.run is not None else None,
    }


def _layer_json(layer: LayerDiff) -> dict:
    return {
        "path": layer.path,
        "status": layer.status,
        "a": row_json(layer.a) if layer.a is not None else None,
        "b": row_json(layer.b) if layer.b is not None else None,
        "fields": list(layer.fields),
        "settings": {s.name: {"a": s.a, "b": s.b} for s in layer.settings},
    }


def _runs_json(runs: RunDiff) -> dict:
    return {
        "identical": runs.identical,
        "sections": {
            section.name: {
                "same": section.same,
                "differences": {d.name: {"a": d.a, "b": d.b} for d in section.differences},
            }
            for section in runs.sections
        },
    }
