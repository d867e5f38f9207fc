"""What differs between two runs' settings: recipe, data set and what they ran on.

Read from the runs' ``run.json`` (see :func:`~resnet_studio.training.runs.read_run`),
without torch. The networks are compared by :mod:`resnet_studio.arch.diff`;
results (errors, curves) are ``compare``'s business, not a difference of settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from resnet_studio.training.runs import RunRecord

# The data set's fields in the order people read them; others follow, sorted.
DATA_FIELDS = (
    "name",
    "root",
    "subset",
    "val_subset",
    "input_shape",
    "classes",
    "train_images",
    "val_images",
    "test_images",
    "mean",
    "std",
    "class_names",
    "skip_bad_images",
)
# Versions recorded in run.json that decide whether a run can be reproduced.
VERSION_FIELDS = ("resnet_studio", "torch", "torchvision", "python")


class Difference(NamedTuple):
    """One field that differs: its value in A and in B (None where a run lacks it)."""

    name: str
    a: Any
    b: Any


class Section(NamedTuple):
    """A part of the settings (``recipe``, ``data``, ``ran on``): what differs, and how
    many fields are the same."""

    name: str
    differences: tuple[Difference, ...]
    same: int


@dataclass(frozen=True)
class RunDiff:
    """The settings of two runs, section by section."""

    sections: tuple[Section, ...]

    @property
    def identical(self) -> bool:
        return not any(section.differences for section in self.sections)


def run_settings(record: RunRecord) -> dict[str, dict[str, Any]]:
    """A run's settings by section, as plain values, every recipe field filled in
    (a run.json of an older version lacks the newer fields: they had their defaults)."""
    info = record.info
    dataset = info.get("dataset")
    dataset = dataset if isinstance(dataset, dict) else {}
    data = {key: dataset.get(key) for key in DATA_FIELDS}
    data.update({key: dataset[key] for key in sorted(dataset) if key not in data})
    recorded = info.get("versions")
    recorded = recorded if isinstance(recorded, dict) else {}
    ran_on = {"device": info.get("device")}
    ran_on.update({key: recorded.get(key) for key in VERSION_FIELDS})
    ran_on.update({key: recorded[key] for key in sorted(recorded) if key not in ran_on})
    return {"recipe": record.recipe.to_dict(), "data": data, "ran on": ran_on}


def diff_runs(a: RunRecord, b: RunRecord) -> RunDiff:
    """Compare two runs' recipe, data set and device/versions, field by field."""
    settings_a, settings_b = run_settings(a), run_settings(b)
    sections = []
    for name, fields_a in settings_a.items():
        fields_b = settings_b[name]
        keys = [*fields_a, *(key for key in fields_b if key not in fields_a)]
        differences = tuple(
            Difference(key, fields_a.get(key), fields_b.get(key))
            for key in keys
            if fields_a.get(key) != fields_b.get(key)
        )
        sections.append(Section(name, differences, len(keys) - len(differences)))
    return RunDiff(tuple(sections))
