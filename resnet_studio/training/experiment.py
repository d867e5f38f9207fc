"""Experiments: a named grid of runs that share one recipe and one data set.

An experiment is a folder: ``experiment.json`` says what the grid is, ``networks/``
holds each distinct network as a project file (already fitted to the data set),
and ``cells/`` holds one run folder per cell, made by ``resnet-studio train``. The
axes are networks (presets or project files), depth (for the paper's families),
plain or residual (the plain twin), a width multiplier (CIFAR families) and seeds.

The built-in experiments are the paper's studies; :data:`BUILT_INS` names them.
Torch-free: creating an experiment loads its data once (to fit the networks to
it and to refuse a missing data set before anything is written), through
:func:`resnet_studio.training.datasets.load_dataset`, imported when needed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resnet_studio.arch.messages import Message, located, message_of, text_of
from resnet_studio.arch.presets import PRESETS, WIDTH_MAX, WIDTH_MIN, preset_network
from resnet_studio.arch.project import load_project, project_to_json
from resnet_studio.arch.spec import CONTAINERS, Network, Node, Residual, SpecError
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.arch.twin import plain_twin
from resnet_studio.json_reasons import json_reason
from resnet_studio.reading import MAX_RUN_INFO_BYTES, ReadError, decode_text, read_bytes
from resnet_studio.writing import write_atomically

FORMAT = "resnet-studio-experiment"
VERSION = 1
EXPERIMENT_FILE = "experiment.json"
NETWORKS_DIR = "networks"
CELLS_DIR = "cells"
ERROR_PREFIX = "resnet-studio: error: "  # how a cell's one-line mistake begins
OUTPUT_DIR = "output"  # each cell's terminal output, for when a cell fails

VARIANTS = ("plain", "residual")
SHORTCUT_OPTIONS = {"A": "zero-pad", "B": "auto"}  # the paper's options A and B
# Recipe options an experiment may set, as ``resnet-studio train`` spells them.
RECIPE_OPTIONS = (
    "epochs",
    "iterations",
    "batch_size",
    "lr",
    "optimizer",
    "schedule",
    "weight_decay",
    "warmup",
    "label_smoothing",
)
_FAMILY_PREFIX = {"cifar": "cifar-", "imagenet": ""}


class ExperimentError(ValueError):
    """An experiment that cannot be made or read; one line naming the field or file."""


@dataclass(frozen=True)
class Cell:
    """One run of the grid: which network, how wide, which seed."""

    key: str  # the run folder's name under cells/, and the run's name
    network: str  # the project file under networks/ (its stem names the network)
    depth: int | None  # for the paper's families; None for a user's network
    variant: str  # "plain" or "residual"
    width: float
    shortcut: str  # "A", "B" or "" (the network's own)
    seed: int
    base: str  # the network before depth, variant and width: "cifar", or a project's name

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ExperimentSpec:
    """What a grid is: its axes, data set and recipe. ``cells()`` expands it."""

    name: str
    family: str = "cifar"  # "cifar", "imagenet" or "" (networks come from ``projects``)
    depths: tuple[int, ...] = ()
    variants: tuple[str, ...] = VARIANTS
    widths: tuple[float, ...] = (1.0,)
    shortcuts: tuple[str, ...] = ("",)
    seeds: tuple[int, ...] = (0,)
    projects: tuple[str, ...] = ()  # project files, for a user's own networks
    dataset: str = "cifar10"
    subset: int | None = None
    recipe: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Any, where: str = "spec") -> ExperimentSpec:
        """A spec from JSON data, every field's type checked (:class:`ExperimentError`)."""
        if not isinstance(data, dict):
            raise ExperimentError(
                Message(
                    "experiment.not_object",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be an object"),
                    where=where,
                )
            )
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ExperimentError(
                Message(
                    "experiment.unknown_field",
                    QT_TRANSLATE_NOOP("messages", "{where}: unknown field (known: {known})"),
                    where=f"{where}.{unknown[0]}",
                    known=", ".join(sorted(known)),
                )
            )
        values: dict[str, Any] = {}
        for key, value in data.items():
            values[key] = _checked(f"{where}.{key}", key, value)
        if "name" not in values:
            raise ExperimentError(
                Message(
                    "experiment.no_name",
                    QT_TRANSLATE_NOOP("messages", "{where}: missing"),
                    where=f"{where}.name",
                )
            )
        spec = cls(**values)
        spec.check()
        return spec

    def check(self) -> None:
        """Refuse a grid that cannot be run, naming the axis."""
        if not NAME_PATTERN.match(self.name):
            raise ExperimentError(
                Message(
                    "experiment.bad_name",
                    QT_TRANSLATE_NOOP(
                        "messages", "name: {name} must be 1–64 letters, digits, '-', '_' or '.'"
                    ),
                    name=repr(self.name),
                )
            )
        if self.family and self.family not in _FAMILY_PREFIX:
            raise ExperimentError(
                Message(
                    "experiment.family",
                    QT_TRANSLATE_NOOP(
                        "messages", "family: must be one of cifar, imagenet, got {family}"
                    ),
                    family=repr(self.family),
                )
            )
        if not self.family and not self.projects:
            raise ExperimentError(
                Message(
                    "experiment.no_networks",
                    QT_TRANSLATE_NOOP(
                        "messages", "projects: give project files, or a family with depths"
                    ),
                )
            )
        if self.family and not self.depths:
            raise ExperimentError(
                Message(
                    "experiment.no_depths",
                    QT_TRANSLATE_NOOP("messages", "depths: give the {family} depths to train"),
                    family=self.family,
                )
            )
        for depth in self.depths:
            for variant in self.variants:
                if self.family and _preset_key(self.family, depth, variant) not in PRESETS:
                    raise ExperimentError(
                        Message(
                            "experiment.no_such_depth",
                            QT_TRANSLATE_NOOP(
                                "messages",
                                "depths: no {family} {variant} network of depth {depth} ({depths})",
                            ),
                            family=self.family,
                            variant=variant,
                            depth=depth,
                            depths=", ".join(str(d) for d in family_depths(self.family, variant)),
                        )
                    )
        if not self.variants or any(v not in VARIANTS for v in self.variants):
            raise ExperimentError(
                Message(
                    "experiment.variants",
                    QT_TRANSLATE_NOOP(
                        "messages", "variants: each must be plain or residual, got {variants}"
                    ),
                    variants=str(self.variants),
                )
            )
        if any(not WIDTH_MIN <= w <= WIDTH_MAX for w in self.widths) or not self.widths:
            raise ExperimentError(
                Message(
                    "experiment.widths",
                    QT_TRANSLATE_NOOP(
                        "messages", "widths: each must be from {low:g} to {high:g}, got {widths}"
                    ),
                    low=WIDTH_MIN,
                    high=WIDTH_MAX,
                    widths=str(self.widths),
                )
            )
        if self.family != "cifar" and self.widths != (1.0,):
            raise ExperimentError(
                Message(
                    "experiment.widths_cifar",
                    QT_TRANSLATE_NOOP("messages", "widths: apply to the CIFAR family only"),
                )
            )
        if any(s not in ("", *SHORTCUT_OPTIONS) for s in self.shortcuts) or not self.shortcuts:
            raise ExperimentError(
                Message(
                    "experiment.shortcuts",
                    QT_TRANSLATE_NOOP(
                        "messages", "shortcuts: each must be A or B, got {shortcuts}"
                    ),
                    shortcuts=str(self.shortcuts),
                )
            )
        if not self.seeds or len(set(self.seeds)) != len(self.seeds):
            raise ExperimentError(
                Message(
                    "experiment.seeds",
                    QT_TRANSLATE_NOOP("messages", "seeds: give distinct seeds, got {seeds}"),
                    seeds=str(self.seeds),
                )
            )
        unknown = sorted(set(self.recipe) - set(RECIPE_OPTIONS))
        if unknown:
            raise ExperimentError(
                Message(
                    "experiment.recipe_unknown",
                    QT_TRANSLATE_NOOP("messages", "{where}: unknown (known: {known})"),
                    where=f"recipe.{unknown[0]}",
                    known=", ".join(RECIPE_OPTIONS),
                )
            )

    def cells(self, networks: dict[str, Network] | None = None) -> list[Cell]:
        """The grid, in the order it runs: seed by seed, so that every depth has a
        first result early; within a seed shallow before deep, plain before residual."""
        cells = []
        for seed in self.seeds:
            for base, depth, variant, width, shortcut in self._networks():
                stem = _network_stem(base, depth, variant, width, shortcut)
                key = f"{stem}-s{seed}"
                cells.append(Cell(key, stem, depth, variant, width, shortcut, seed, base))
        return cells

    def _networks(self) -> list[tuple[str, int | None, str, float, str]]:
        combos = []
        if self.family:
            for depth in sorted(self.depths):
                for variant in self.variants:
                    for width in self.widths:
                        for shortcut in self.shortcuts:
                            if variant == "plain" and shortcut not in ("", self.shortcuts[0]):
                                continue  # a plain net has no shortcuts to vary
                            combos.append((self.family, depth, variant, width, shortcut))
        for project in self.projects:
            for variant in reversed(self.variants):  # the user's network, then its twin
                combos.append((Path(project).stem, None, variant, 1.0, ""))
        return combos


NAME_PATTERN = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")


def _checked(where: str, key: str, value: Any) -> Any:
    """One field's value in the type :class:`ExperimentSpec` holds it in."""

    def ints(v: Any) -> tuple[int, ...]:
        if not isinstance(v, list) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in v
        ):
            raise ExperimentError(
                Message(
                    "experiment.field.ints",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be a list of whole numbers"),
                    where=where,
                )
            )
        return tuple(v)

    if key in ("name", "family", "dataset", "description"):
        if not isinstance(value, str):
            raise ExperimentError(
                Message(
                    "experiment.field.text",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be text"),
                    where=where,
                )
            )
        return value
    if key in ("depths", "seeds"):
        return ints(value)
    if key == "widths":
        if not isinstance(value, list) or not all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in value
        ):
            raise ExperimentError(
                Message(
                    "experiment.field.numbers",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be a list of numbers"),
                    where=where,
                )
            )
        return tuple(float(x) for x in value)
    if key in ("variants", "shortcuts", "projects"):
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ExperimentError(
                Message(
                    "experiment.field.texts",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be a list of text"),
                    where=where,
                )
            )
        return tuple(value)
    if key == "subset":
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ExperimentError(
                Message(
                    "experiment.field.optional_int",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be a whole number or null"),
                    where=where,
                )
            )
        return value
    if key == "recipe":
        if not isinstance(value, dict):
            raise ExperimentError(
                Message(
                    "experiment.field.object",
                    QT_TRANSLATE_NOOP("messages", "{where}: must be an object"),
                    where=where,
                )
            )
        return dict(value)
    raise AssertionError(key)  # from_dict refused unknown keys already


def _preset_key(family: str, depth: int, variant: str) -> str:
    kind = "resnet" if variant == "residual" else "plain"
    return f"{_FAMILY_PREFIX[family]}{kind}{depth}"


def family_depths(family: str, variant: str = "residual") -> list[int]:
    """The depths a family has presets for, shallow first."""
    prefix = _preset_key(family, 0, variant)[:-1]
    return sorted(
        int(key[len(prefix) :])
        for key in PRESETS
        if key.startswith(prefix) and key[len(prefix) :].isdigit()
    )


def _network_stem(base: str, depth: int | None, variant: str, width: float, shortcut: str) -> str:
    """A network's short name: ``plain20``, ``resnet56-w0.5``, ``resnet32-B``, ``mynet-plain``."""
    if depth is None:
        stem = base if variant == "residual" else f"{base}-plain"
    else:
        stem = f"{'resnet' if variant == 'residual' else 'plain'}{depth}"
    if width != 1.0:
        stem += f"-w{width:g}"
    if shortcut and variant == "residual":
        stem += f"-{shortcut}"
    return stem


def _with_shortcuts(nodes: tuple[Node, ...], shortcut: str) -> tuple[Node, ...]:
    """Every residual block's shortcut set to ``shortcut`` where it has one."""
    changed = []
    for node in nodes:
        if isinstance(node, CONTAINERS):
            changes: dict[str, Any] = {"body": _with_shortcuts(node.body, shortcut)}
            if isinstance(node, Residual) and node.shortcut != "none":
                changes["shortcut"] = shortcut
            node = dataclasses.replace(node, **changes)
        changed.append(node)
    return tuple(changed)


def cell_network(spec: ExperimentSpec, cell: Cell, projects: dict[str, Network]) -> Network:
    """The network a cell trains, before it is fitted to the data."""
    if cell.depth is None:
        network = projects[cell.base]
        if cell.variant == "plain":
            network = plain_twin(network)
        return dataclasses.replace(network, name=cell.network)
    key = _preset_key(spec.family, cell.depth, cell.variant)
    network = preset_network(key, width=cell.width)  # spec checked the width's range
    body = network.body
    if cell.shortcut and cell.variant == "residual":
        body = _with_shortcuts(body, SHORTCUT_OPTIONS[cell.shortcut])
    return dataclasses.replace(network, name=cell.network, body=body)


# --- built-in experiments -----------------------------------------------------------

# The paper's CIFAR-10 recipe: lr 0.1 ÷10 at 32k and 48k of 64k iterations, batch 128
# (the schedule's milestones are at 50 % and 75 % of training by default).
PAPER_CIFAR = {"iterations": 64_000}
# Quick: half-width networks, 441 iterations (seven epochs of the CIFAR-10 subset) —
# enough for the plain nets' degradation to show on a 2-core CPU within the hour.
QUICK_CIFAR = {"iterations": 441}


@dataclass(frozen=True)
class BuiltIn:
    """A study from the paper at two sizes: ``quick`` for a CPU, ``full`` the paper's."""

    name: str
    description: str
    full: Callable[[], ExperimentSpec]
    quick: Callable[[], ExperimentSpec]


def _degradation(quick: bool) -> ExperimentSpec:
    return ExperimentSpec(
        name="degradation-cifar",
        family="cifar",
        depths=(20, 32, 44, 56) if quick else (20, 32, 44, 56, 110),
        widths=(0.5,) if quick else (1.0,),
        seeds=(0, 1) if quick else (0, 1, 2),
        dataset=QUICK_DATASET if quick else "cifar10",
        recipe=dict(QUICK_CIFAR if quick else PAPER_CIFAR),
        description=QT_TRANSLATE_NOOP(
            "experiments",
            "plain and residual nets at increasing depth (Fig. 6, Table 6): "
            "deeper plain nets train worse, deeper residual nets do not",
        ),
    )


def _shortcuts(quick: bool) -> ExperimentSpec:
    return ExperimentSpec(
        name="shortcuts-ab",
        family="cifar",
        depths=(32,) if quick else (32, 56),
        variants=("residual",),
        shortcuts=("A", "B"),
        widths=(0.5,) if quick else (1.0,),
        seeds=(0, 1) if quick else (0, 1, 2),
        dataset=QUICK_DATASET if quick else "cifar10",
        recipe=dict(QUICK_CIFAR if quick else PAPER_CIFAR),
        description=QT_TRANSLATE_NOOP(
            "experiments",
            "option A (zero-padded identity) against option B (projection where "
            "dimensions grow) at the same depth (Table 3)",
        ),
    )


def _bottleneck(quick: bool) -> ExperimentSpec:
    return ExperimentSpec(
        name="bottleneck",
        family="imagenet",
        depths=(34, 50),
        variants=("residual",),
        seeds=(0,) if quick else (0, 1, 2),
        dataset=QUICK_DATASET if quick else "cifar10",
        recipe=dict({"iterations": 200} if quick else PAPER_CIFAR),
        description=QT_TRANSLATE_NOOP(
            "experiments",
            "basic blocks (ResNet-34) against bottleneck blocks (ResNet-50) at "
            "about the same cost (3.6 and 3.8 GFLOPs on ImageNet; Table 1)",
        ),
    )


# The quick studies train on CIFAR-10 images: torchvision's CIFAR-10 (first 8,000
# images, see QUICK_SUBSET) when it is in the data root, else an image folder
# ``cifar10-subset`` there (see :func:`quick_dataset`).
QUICK_DATASET = "quick:cifar10"
QUICK_SUBSET = 8_000
QUICK_FOLDER = "cifar10-subset"

BUILT_INS: dict[str, BuiltIn] = {
    b.name: b
    for b in (
        BuiltIn(
            "degradation-cifar",
            QT_TRANSLATE_NOOP("experiments", "plain vs residual at depths 20–56 (110 full size)"),
            lambda: _degradation(False),
            lambda: _degradation(True),
        ),
        BuiltIn(
            "shortcuts-ab",
            QT_TRANSLATE_NOOP("experiments", "shortcut option A vs B at the same depth"),
            lambda: _shortcuts(False),
            lambda: _shortcuts(True),
        ),
        BuiltIn(
            "bottleneck",
            QT_TRANSLATE_NOOP("experiments", "basic (ResNet-34) vs bottleneck (ResNet-50) blocks"),
            lambda: _bottleneck(False),
            lambda: _bottleneck(True),
        ),
    )
}


def built_in(name: str, quick: bool) -> ExperimentSpec:
    """A built-in study by name, at its quick or full size."""
    entry = BUILT_INS.get(name)
    if entry is None:
        raise ExperimentError(
            f"unknown experiment {name!r}; built in: {', '.join(BUILT_INS)} "
            "(or give a spec file, SPEC.json)"
        )
    return (entry.quick if quick else entry.full)()


def quick_dataset(root: Path) -> tuple[str, int | None]:
    """The data set and subset a quick study trains on, given the data root."""
    from resnet_studio.training.dataset_info import DATASETS

    if DATASETS["cifar10"].present_in(root):
        return "cifar10", QUICK_SUBSET
    if (root / QUICK_FOLDER / "train").is_dir():
        return f"folder:{root / QUICK_FOLDER}", None
    raise ExperimentError(
        f"--data-root {root}: a quick study trains on CIFAR-10, but neither "
        f"cifar-10-batches-py/ nor {QUICK_FOLDER}/ is there; add --download to fetch "
        "CIFAR-10, or give --dataset"
    )


SPEC_FILE = Message("reading.what.spec_file", QT_TRANSLATE_NOOP("messages", "spec file"))


def _not_json(path: Path, err: json.JSONDecodeError) -> Message:
    return Message(
        "experiment.not_json",
        QT_TRANSLATE_NOOP("messages", "{path}: not JSON ({reason} at line {line})"),
        path=str(path),
        reason=json_reason(err.msg),  # Python's words, translated where known
        line=err.lineno,
    )


def load_spec_file(path: str | os.PathLike[str]) -> ExperimentSpec:
    """An experiment spec from a JSON file (the fields of :class:`ExperimentSpec`)."""
    path = Path(path)
    try:
        text = decode_text(read_bytes(path, MAX_RUN_INFO_BYTES, SPEC_FILE), str(path))
        data = json.loads(text)
    except ReadError as err:
        raise ExperimentError(message_of(err)) from None
    except json.JSONDecodeError as err:
        raise ExperimentError(_not_json(path, err)) from None
    try:
        return ExperimentSpec.from_dict(data)
    except ExperimentError as err:
        raise ExperimentError(located(str(path), message_of(err))) from None


# --- the folder ---------------------------------------------------------------------


@dataclass
class Experiment:
    """An experiment folder as read from disk."""

    path: Path
    spec: ExperimentSpec
    cells: list[Cell]
    dataset: str  # as train takes it: "cifar10", "folder:/abs/path"
    data_root: str | None
    subset: int | None
    device: str
    parallel: int | None  # None: chosen when it runs
    created: float

    def cell_dir(self, cell: Cell) -> Path:
        return self.path / CELLS_DIR / cell.key

    def network_file(self, cell: Cell) -> Path:
        return self.path / NETWORKS_DIR / f"{cell.network}.json"

    def output_file(self, cell: Cell) -> Path:
        return self.path / OUTPUT_DIR / f"{cell.key}.txt"

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "spec": self.spec.to_dict(),
            "cells": [c.to_dict() for c in self.cells],
            "dataset": self.dataset,
            "data_root": self.data_root,
            "subset": self.subset,
            "device": self.device,
            "parallel": self.parallel,
            "created": self.created,
        }

    def save(self, *, exclusive: bool = False) -> None:
        text = json.dumps(self.to_dict(), indent=1) + "\n"
        write_atomically(self.path / EXPERIMENT_FILE, text.encode(), exclusive=exclusive)


def experiment_networks(
    spec: ExperimentSpec, fit: Callable[[Network], Network]
) -> dict[str, Network]:
    """Each distinct network of the grid by name, fitted to the data set by ``fit``
    (which adapts a network or refuses it with a ValueError)."""
    projects = {}
    for project in spec.projects:
        try:
            projects[Path(project).stem] = load_project(project)
        except (OSError, ValueError) as err:
            raise ExperimentError(located("projects", message_of(err))) from None
    networks: dict[str, Network] = {}
    for cell in spec.cells():
        if cell.network not in networks:
            try:
                networks[cell.network] = fit(cell_network(spec, cell, projects))
            except (SpecError, ValueError) as err:
                raise ExperimentError(located(cell.network, message_of(err))) from None
    return networks


def create_experiment(
    path: Path,
    spec: ExperimentSpec,
    networks: dict[str, Network],
    *,
    data_root: Path,
    dataset: str,
    subset: int | None,
    device: str = "auto",
    parallel: int | None = None,
) -> Experiment:
    """Make the experiment folder: experiment.json and every network (from
    :func:`experiment_networks`) as a project file.

    ``path`` must not exist yet; on failure nothing is left behind.
    """
    cells = spec.cells()
    try:
        path.mkdir(parents=True)
    except FileExistsError:
        raise ExperimentError(
            Message(
                "experiment.exists",
                QT_TRANSLATE_NOOP("messages", "{path}: already exists; give a new folder (--out)"),
                path=str(path),
            )
        ) from None
    except OSError as err:
        raise ExperimentError(
            Message(
                "experiment.cannot_create",
                QT_TRANSLATE_NOOP("messages", "{path}: cannot create ({reason})"),
                path=str(path),
                reason=err.strerror or str(err),
            )
        ) from None
    experiment = Experiment(
        path,
        spec,
        cells,
        dataset,
        str(data_root),
        subset,
        device,
        parallel,
        time.time(),
    )
    try:
        for folder in (NETWORKS_DIR, CELLS_DIR, OUTPUT_DIR):
            (path / folder).mkdir()
        for stem, network in networks.items():
            text = project_to_json(network)
            write_atomically(path / NETWORKS_DIR / f"{stem}.json", text.encode())
        experiment.save(exclusive=True)
    except BaseException:
        import shutil

        shutil.rmtree(path, ignore_errors=True)  # ours alone: made just now
        raise
    return experiment


def read_experiment(path: str | os.PathLike[str]) -> Experiment:
    """An experiment folder; :class:`ExperimentError` naming the file and field."""
    path = Path(path)
    source = path / EXPERIMENT_FILE
    if not source.exists():
        raise ExperimentError(
            Message(
                "experiment.not_a_folder",
                QT_TRANSLATE_NOOP("messages", "{path}: not an experiment folder (no {file})"),
                path=str(path),
                file=EXPERIMENT_FILE,
            )
        )
    try:
        data = json.loads(decode_text(read_bytes(source, MAX_RUN_INFO_BYTES), str(source)))
    except ReadError as err:
        raise ExperimentError(message_of(err)) from None
    except json.JSONDecodeError as err:
        raise ExperimentError(_not_json(source, err)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExperimentError(
            Message(
                "experiment.not_a_file",
                QT_TRANSLATE_NOOP("messages", "{path}: not an experiment file"),
                path=str(source),
            )
        )
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise ExperimentError(
            Message(
                "experiment.version",
                QT_TRANSLATE_NOOP("messages", "{path}: version {version} is not {supported}"),
                path=str(source),
                version=repr(data.get("version")),
                supported=VERSION,
            )
        )
    try:
        spec = ExperimentSpec.from_dict(data.get("spec"))
        cells = [_cell_from_dict(c, f"cells[{i}]") for i, c in enumerate(_list(data, "cells"))]
        return Experiment(
            path,
            spec,
            cells,
            _typed(data, "dataset", str),
            _typed(data, "data_root", str, optional=True),
            _typed(data, "subset", int, optional=True),
            _typed(data, "device", str),
            _typed(data, "parallel", int, optional=True),
            float(_typed(data, "created", (int, float))),
        )
    except ExperimentError as err:
        raise ExperimentError(located(str(source), message_of(err))) from None


def _list(data: dict, key: str) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        raise ExperimentError(
            Message(
                "experiment.not_list",
                QT_TRANSLATE_NOOP("messages", "{key}: must be a list"),
                key=key,
            )
        )
    return value


def _typed(data: dict, key: str, kind: Any, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ExperimentError(
            Message(
                "experiment.wrong_type",
                QT_TRANSLATE_NOOP("messages", "{key}: missing or of the wrong type"),
                key=key,
            )
        )
    return value


def _cell_from_dict(data: Any, where: str) -> Cell:
    if not isinstance(data, dict):
        raise ExperimentError(
            Message(
                "experiment.cell_not_object",
                QT_TRANSLATE_NOOP("messages", "{where}: must be an object"),
                where=where,
            )
        )
    kinds = {
        "key": str,
        "network": str,
        "depth": (int, type(None)),
        "variant": str,
        "width": (int, float),
        "shortcut": str,
        "seed": int,
        "base": str,
    }
    if set(data) != set(kinds):
        raise ExperimentError(
            Message(
                "experiment.cell_fields",
                QT_TRANSLATE_NOOP("messages", "{where}: fields must be {fields}"),
                where=where,
                fields=", ".join(kinds),
            )
        )
    for key, kind in kinds.items():
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            raise ExperimentError(
                Message(
                    "experiment.cell_type",
                    QT_TRANSLATE_NOOP("messages", "{where}: of the wrong type"),
                    where=f"{where}.{key}",
                )
            )
    if not NAME_PATTERN.match(data["key"]) or not NAME_PATTERN.match(data["network"]):
        raise ExperimentError(
            Message(
                "experiment.cell_names",
                QT_TRANSLATE_NOOP("messages", "{where}: key and network must be plain names"),
                where=where,
            )
        )
    return Cell(**{**data, "width": float(data["width"])})


def cell_status(experiment: Experiment, cell: Cell) -> tuple[str, str]:
    """A cell's status from its run folder (``queued`` when there is none yet), and
    the reason where it failed or is damaged."""
    from resnet_studio.training.runs import RUN_FILE, RunFolderError, read_run

    folder = experiment.cell_dir(cell)
    if not (folder / RUN_FILE).exists():
        # A cell refused before its run folder was made (a bad network file, data that
        # cannot be read) has only its output to say so: its one-line error last.
        last = last_line(experiment.output_file(cell))
        if last.startswith(ERROR_PREFIX):
            return "failed", last
        return "queued", ""
    try:
        record = read_run(folder, damaged_ok=True)
    except RunFolderError as err:
        return "damaged", text_of(err)
    return record.status, record.reason


def last_line(path: Path) -> str:
    """The last non-empty line a cell printed (its one-line error), without the bar."""
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 8192))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]
    return lines[-1] if lines else ""
