"""A weights-only ``state_dict`` (no model code) recognised by its key names and shapes.

Every preset's table of key → shape comes from its build on the meta device
(nothing allocated), once per preset and process. The weights match a preset
when the keys are the same and every shape is; when only the classifier's class
count or the first convolution's input channels differ, the preset is rebuilt
for those and matched again, and the report says what was adapted. The network
open in the window, when given, is tried first. Otherwise the closest preset
(the most keys with the same shape) and what differs are reported.

The ImageNet presets name their layers as torchvision does, so torchvision's
ResNet weights match them.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import torch

from resnet_studio.arch import spec as s
from resnet_studio.arch.messages import Message
from resnet_studio.arch.presets import PRESETS, preset_network
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP
from resnet_studio.importer.report import WeightsMatch
from resnet_studio.model.build import BuildError, build_empty
from resnet_studio.model.weights import classifier_of, first_conv_of

Shapes = dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class Layout:
    """A network's ``state_dict`` keys and shapes, and the keys of the weights that
    follow the input channels and the class count."""

    shapes: Shapes
    first_conv: str | None  # the first convolution's weight key
    classifier: tuple[str, ...]  # the last Linear's weight (and bias) keys


def layout(network: s.Network) -> Layout:
    """``network``'s layout, from its build on the meta device."""
    model = build_empty(network)
    shapes = {key: tuple(value.shape) for key, value in model.state_dict().items()}
    first = first_conv_of(model)
    classifier: tuple[str, ...] = ()
    name = classifier_of(model)
    if name is not None:
        has_bias = model.get_submodule(name).bias is not None
        classifier = (f"{name}.weight",) + ((f"{name}.bias",) if has_bias else ())
    return Layout(shapes, f"{first}.weight" if first else None, classifier)


@functools.cache
def preset_layout(key: str) -> Layout:
    """Preset ``key``'s layout at its own input shape and class count (cached)."""
    return layout(preset_network(key))


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape)) or "scalar"


@dataclass(frozen=True)
class _Comparison:
    matching: int
    missing: tuple[str, ...]
    unexpected: tuple[str, ...]
    mismatched: tuple[str, ...]  # keys in both with another shape

    @property
    def same(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)


def _compare(given: Shapes, expected: Shapes) -> _Comparison:
    both = [key for key in given if key in expected]
    return _Comparison(
        matching=sum(given[key] == expected[key] for key in both),
        missing=tuple(key for key in expected if key not in given),
        unexpected=tuple(key for key in given if key not in expected),
        mismatched=tuple(key for key in both if given[key] != expected[key]),
    )


def _adapted(
    key: str, given: Shapes, found: _Comparison, input_shape: tuple[int, int, int] | None
) -> tuple[s.Network, list[str]] | None:
    """Preset ``key`` rebuilt for the weights' class count and input channels, when
    those are all that differ (and the adapted network then matches); else None."""
    own = preset_layout(key)
    if found.missing or found.unexpected:
        return None
    allowed = set(own.classifier) | {own.first_conv}
    if not set(found.mismatched) <= allowed:
        return None
    preset = PRESETS[key]
    classes = given[own.classifier[0]][0] if own.classifier else preset.classes
    channels = given[own.first_conv][1] if own.first_conv else preset.input_shape[0]
    size = tuple(input_shape[1:]) if input_shape else preset.input_shape[1:]
    try:
        network = preset_network(key, input_shape=(channels, *size), classes=classes)
        if not _compare(given, layout(network).shapes).same:
            return None
    except (s.SpecError, BuildError):
        return None
    notes = []
    if classes != preset.classes:
        notes.append(
            Message(
                "weights.adapted-classes",
                QT_TRANSLATE_NOOP("messages", "{count:,} classes (the preset has {preset:,})"),
                count=classes,
                preset=preset.classes,
            )
        )
    if channels != preset.input_shape[0]:
        notes.append(
            Message(
                "weights.adapted-channels",
                QT_TRANSLATE_NOOP("messages", "{count} input channels (the preset takes {preset})"),
                count=channels,
                preset=preset.input_shape[0],
            )
        )
    return network, notes


def _candidate(key: str) -> str:
    return Message("weights.preset", QT_TRANSLATE_NOOP("messages", "preset {key}"), key=key)


def _current_candidate() -> str:
    return Message("weights.current", QT_TRANSLATE_NOOP("messages", "the network open now"))


@dataclass
class Matched:
    """The network the weights belong to (None when none matched) and the account."""

    network: s.Network | None
    match: WeightsMatch


def match_weights(
    state: dict[str, torch.Tensor],
    input_shape: tuple[int, int, int] | None = None,
    current: s.Network | None = None,
) -> Matched:
    """The network ``state`` is the weights of: ``current`` (the network open now) when
    it fits exactly, else a preset, adapted to the weights' class count and input
    channels; at ``input_shape``'s height and width when given."""
    given = {key: tuple(value.shape) for key, value in state.items()}
    if current is not None:
        try:
            found = _compare(given, layout(current).shapes)
        except BuildError:
            found = None
        if found is not None and found.same:
            network = current
            if input_shape:
                network = dataclasses.replace(current, input_shape=tuple(input_shape))
            return Matched(network, _account(given, _current_candidate(), found, True))
    comparisons = {key: _compare(given, preset_layout(key).shapes) for key in PRESETS}
    same = [key for key, found in comparisons.items() if found.same]
    if same:
        key = same[0]
        network = preset_network(key, input_shape=input_shape)
        account = _account(given, _candidate(key), comparisons[key], True)
        also = tuple(_candidate(k) for k in same[1:])
        return Matched(network, dataclasses.replace(account, also=also))
    for key, found in comparisons.items():
        adapted = _adapted(key, given, found, input_shape)
        if adapted is not None:
            network, notes = adapted
            return Matched(network, _account(given, _candidate(key), found, True, notes))
    key = max(comparisons, key=lambda k: (comparisons[k].matching, -len(preset_layout(k).shapes)))
    found = comparisons[key]
    mismatched = tuple(
        f"{k}: {_shape(given[k])} in the file, {_shape(preset_layout(key).shapes[k])} in the preset"
        for k in found.mismatched
    )
    return Matched(
        None,
        _account(given, _candidate(key), dataclasses.replace(found, mismatched=mismatched), False),
    )


def _account(
    given: Shapes,
    candidate: str,
    found: _Comparison,
    matched: bool,
    adapted: list[str] | None = None,
) -> WeightsMatch:
    expected = found.matching + len(found.missing) + len(found.mismatched)
    return WeightsMatch(
        keys=len(given),
        candidate=candidate,
        matched=matched,
        matching=found.matching,
        expected=expected,
        adapted=tuple(adapted or ()),
        missing=() if matched else found.missing,
        unexpected=() if matched else found.unexpected,
        mismatched=() if matched else found.mismatched,
    )
