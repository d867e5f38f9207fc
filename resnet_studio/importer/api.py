"""``import_module``: an ``nn.Module`` and an input shape in; a spec, its weights and the
report out. ``import_script`` does the same for a loaded TorchScript module,
``import_weights`` for a weights-only ``state_dict``, and ``import_path`` for a model
file, whichever of those it holds (the window's File → Import and the command line)."""

from __future__ import annotations

import dataclasses
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import infer
from resnet_studio.arch.messages import Message, located
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.check import check, renamed_state_dict
from resnet_studio.importer.errors import SourceError
from resnet_studio.importer.fx_frontend import example_batch, trace
from resnet_studio.importer.ir import MODULE, Graph
from resnet_studio.importer.leaves import Mapped, Problem, classify
from resnet_studio.importer.report import ImportReport, MappedOp, Unsupported
from resnet_studio.importer.script_frontend import read_script
from resnet_studio.importer.sources import WeightsFile, read_model_file
from resnet_studio.importer.structure import walk
from resnet_studio.importer.tree import name_items, placements, to_spec
from resnet_studio.importer.weights_match import match_weights
from resnet_studio.model.build import BuildError, build_empty


@dataclass
class ImportResult:
    """The network (None when parts cannot be expressed), its weights keyed by our
    build's names (the source's tensors, not copies), and the report."""

    network: s.Network | None
    state_dict: dict[str, torch.Tensor] | None
    report: ImportReport


def _has_state(module: nn.Module) -> bool:
    return any(True for _ in module.parameters()) or any(True for _ in module.buffers())


def _shared_modules(graph: Graph) -> list[Unsupported]:
    """A module with weights called more than once: the spec has no shared weights."""
    calls = Counter(op.qualname for op in graph.ops if op.kind == MODULE)
    out = []
    for op in graph.ops:
        if op.kind == MODULE and calls[op.qualname] > 1 and _has_state(op.module):
            if op.name != op.qualname:  # report each further call, not the first
                why = Message(
                    "import.shared_weights",
                    QT_TRANSLATE_NOOP("messages", "calls {module} again: shared weights"),
                    module=op.qualname,
                )
                out.append(Unsupported(op.name, op.label, why))
    return out


def _classes(graph: Graph) -> int:
    shape = graph.ops[graph.output].shape if graph.output is not None else None
    if not shape or len(shape) < 2:
        return 1
    return min(max(1, shape[1]), s.MAX_CLASSES)


def import_module(
    module: nn.Module,
    input_shape: tuple[int, int, int],
    name: str = "imported",
    source: str = "module",
) -> ImportResult:
    """Import ``module`` for C×H×W inputs of ``input_shape``.

    Traces it (torch.fx), maps every operation, and, when all can be expressed,
    builds our network with the renamed weights and compares it with the source on
    random inputs. The module's training flags are left as they were.
    :class:`~resnet_studio.importer.errors.SourceError` when it cannot be traced or run.
    """
    started = time.perf_counter()
    input_shape = tuple(input_shape)  # type: ignore[assignment]
    example = example_batch(input_shape)
    graph, reference = trace(module, example)
    return _import_graph(graph, reference, module, example, name, source, started)


def import_script(
    script: torch.jit.ScriptModule,
    input_shape: tuple[int, int, int],
    name: str = "imported",
    source: str = "TorchScript",
) -> ImportResult:
    """Import a loaded TorchScript module (scripted or traced) as :func:`import_module`
    imports an ``nn.Module``: its graph read by the TorchScript frontend, the same
    mapping and check. The module is left in eval mode."""
    started = time.perf_counter()
    input_shape = tuple(input_shape)  # type: ignore[assignment]
    example = example_batch(input_shape)
    read = read_script(script, example)
    return _import_graph(read.graph, read.reference, read.module, example, name, source, started)


def _import_graph(
    graph: Graph,
    reference: torch.Tensor | None,
    module: nn.Module,
    example: torch.Tensor,
    name: str,
    source: str,
    started: float,
) -> ImportResult:
    """Map a frontend's graph of ``module`` (its ops' modules are ``module``'s own) to our
    network, rename the weights and check the result against ``reference``."""
    input_shape = tuple(example.shape[1:])
    report = ImportReport(source, input_shape)  # type: ignore[arg-type]
    classified = [classify(op, graph) for op in graph.ops]
    alive = graph.live()
    for op, c in zip(graph.ops, classified, strict=True):
        if isinstance(c, Problem) and alive[op.index]:
            report.unsupported.append(Unsupported(op.name, op.label, c.reason))
        elif isinstance(c, Mapped) and c.note:
            report.notes.append(located(op.name, c.note))
    report.unsupported += _shared_modules(graph)
    if graph.output_problem:
        report.unsupported.append(Unsupported("output", "return", graph.output_problem))
    structure = walk(graph, classified)
    report.unsupported += [Unsupported(op.name, op.label, why) for op, why in structure.problems]
    if report.unsupported or not structure.complete:
        if not report.unsupported:
            why = Message(
                "import.output_not_reached",
                QT_TRANSLATE_NOOP("messages", "the output is not reached from the input"),
            )
            report.unsupported.append(Unsupported("output", "return", why))
        report.seconds = time.perf_counter() - started
        return ImportResult(None, None, report)

    named = name_items(structure.items, "")
    output_op = graph.ops[graph.output] if graph.output is not None else None
    last_linear = output_op if output_op is not None and output_op.target == "Linear" else None
    try:
        network = s.Network(
            name=name,
            input_shape=input_shape,
            classes=_classes(graph),
            body=tuple(to_spec(n, last_linear) for n in named),
        )
    except s.SpecError as err:  # too many layers, nested too deeply
        why = located(err.where, err.message) if err.where else err.message
        report.unsupported.append(Unsupported("network", "network", why))
    else:
        # What the designer asks of a whole network (it ends in class scores …) too.
        report.unsupported += [
            Unsupported(p.path or "network", "network", p.message) for p in infer(network).problems
        ]
    if report.unsupported:
        report.seconds = time.perf_counter() - started
        return ImportResult(None, None, report)
    placed = placements(named)
    paths: dict[str, str] = {}
    for p in placed:
        if p.op.kind == MODULE and p.op.qualname not in paths and _has_state(p.op.module):
            paths[p.op.qualname] = p.path
    report.mapped = [
        MappedOp(
            p.op.name,
            p.op.label,
            p.path,
            p.kind,
            paths.get(p.op.qualname) not in (None, p.op.qualname),
        )
        for p in placed
    ]
    state, left_out = renamed_state_dict(module, paths)
    report.not_imported = left_out
    report.exactness, _ = check(network, state, module, example, reference)
    report.seconds = time.perf_counter() - started
    return ImportResult(network, state, report)


def import_weights(
    weights: WeightsFile,
    input_shape: tuple[int, int, int] | None = None,
    current: s.Network | None = None,
    name: str | None = None,
    source: str = "state_dict",
) -> ImportResult:
    """The network a weights-only ``state_dict`` belongs to (the open one, or a preset),
    with those weights; or, when none fits, a report of the closest preset and what
    differs. The weights must load strictly into the network's build."""
    started = time.perf_counter()
    found = match_weights(weights.state, input_shape, current)
    match = dataclasses.replace(found.match, wrapper=weights.wrapper, prefix=weights.prefix)
    network = found.network
    if network is not None and name:
        network = dataclasses.replace(network, name=name)
    shape = network.input_shape if network is not None else tuple(input_shape or (0, 0, 0))
    report = ImportReport(source, shape, weights=match)  # type: ignore[arg-type]
    if network is not None:
        report.unsupported += [
            Unsupported(p.path or "network", "network", p.message) for p in infer(network).problems
        ]
        if not report.unsupported:
            report.weights = dataclasses.replace(
                match, load_error=_load_error(network, weights.state)
            )
    report.seconds = time.perf_counter() - started
    if not report.exact:
        return ImportResult(None, None, report)
    return ImportResult(network, weights.state, report)


def _load_error(network: s.Network, state: dict[str, torch.Tensor]) -> str | None:
    """Why ``state`` does not load strictly into ``network``'s build; None when it does."""
    try:
        build_empty(network).load_state_dict(state, strict=True, assign=True)
    except (BuildError, RuntimeError) as err:
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        return " ".join(lines[1:3]) or lines[0]
    return None


def import_path(
    path: str | os.PathLike,
    input_shape: tuple[int, int, int] | None = None,
    current: s.Network | None = None,
    name: str | None = None,
) -> ImportResult:
    """Import a model file, decided by its contents: a TorchScript archive (read as a
    graph: ``input_shape`` is needed), or a weights-only ``state_dict`` matched with
    ``current`` (the network open now) and the presets (``input_shape`` optional: the
    preset's own). Nothing in the file runs as Python. :class:`SourceError` in one line
    for anything else (a ``.py``, the program's own model files, a pickle naming code).
    """
    path = Path(path)
    content = read_model_file(path)
    if isinstance(content, WeightsFile):
        return import_weights(content, input_shape, current, name, str(path))
    if input_shape is None:
        raise SourceError(
            Message(
                "import-needs-input",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "{path}: a TorchScript archive does not say what input it takes; give "
                    "it as --input C,H,W",
                ),
                path=str(path),
            )
        )
    stem = path.stem[: s.MAX_NETWORK_NAME].strip() or "imported"
    return import_script(content, input_shape, name=name or stem, source=str(path))
