"""``import_module``: an ``nn.Module`` and an input shape in; a spec, its weights and the
report out."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

import torch
from torch import nn

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import infer
from resnet_studio.arch.messages import Message, located
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.check import check, renamed_state_dict
from resnet_studio.importer.fx_frontend import example_batch, trace
from resnet_studio.importer.ir import MODULE, Graph
from resnet_studio.importer.leaves import Mapped, Problem, classify
from resnet_studio.importer.report import ImportReport, MappedOp, Unsupported
from resnet_studio.importer.structure import walk
from resnet_studio.importer.tree import name_items, placements, to_spec


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
    report = ImportReport(source, input_shape)
    example = example_batch(input_shape)
    graph, reference = trace(module, example)
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
