"""Every text the window shows reaches ``pyside6-lupdate``, under the context the window
translates it in at run time; otherwise its translation would never be found."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

import resnet_studio
from resnet_studio.arch import catalogue, kinds, spec
from resnet_studio.figures import comparison
from resnet_studio.figures.experiment import DEPTH_CAPTION
from resnet_studio.training.dataset_info import DATASETS
from resnet_studio.training.experiment import BUILT_INS
from tests.gui.translation_sources import ROOT, extract, messages

PACKAGE = ROOT / "resnet_studio"
# Calls that translate, or mark for translation, the text given as an argument.
TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str, str]]:
    ts = extract(tmp_path_factory.mktemp("lupdate") / "all.ts")
    return {(m.context, m.source) for m in messages(ts)}


def qt_classes() -> set[str]:
    """Names of the package's QObject classes and of the mixins they inherit: the contexts
    ``self.tr`` looks in (PySide6 tries each class of the object's MRO)."""
    names = set()
    for info in pkgutil.walk_packages(resnet_studio.__path__, "resnet_studio."):
        if not info.name.startswith(("resnet_studio.gui", "resnet_studio.figures")):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QObject) and cls.__module__.startswith("resnet_studio"):
                names |= {c.__name__ for c in cls.__mro__ if c.__module__.startswith("resnet")}
    return names


def sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text("utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def literal_contexts() -> set[str]:
    """The contexts named in translate("context", …) calls: where the window looks up the
    texts it holds in variables (palette labels, field help, fix titles…)."""
    found = set()
    for _, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and called_name(node) == "translate" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def test_every_context_is_one_the_window_translates_in(extracted) -> None:
    known = qt_classes() | literal_contexts()
    wrong = sorted({context for context, _ in extracted} - known)
    assert not wrong, (
        f"texts extracted under contexts nothing translates in at run time: {wrong} "
        "(a tr() called on another object, or on a class that is no QObject)"
    )


def test_no_wrapper_hides_texts_from_lupdate() -> None:
    """lupdate knows ``tr``, ``translate`` and ``QT_TRANSLATE_NOOP`` by name only: a text
    passed to a helper that calls them is never extracted."""
    hidden = []
    for path, tree in sources():
        wrappers = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and node.name not in TRANSLATING
            and any(
                isinstance(call, ast.Call)
                and called_name(call) in TRANSLATING
                and any(
                    isinstance(arg, ast.Name) and arg.id in {a.arg for a in node.args.args}
                    for arg in call.args
                )
                for call in ast.walk(node)
            )
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and called_name(node) in wrappers
                and any(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
            ):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno} {called_name(node)}()")
    assert not hidden, hidden


def test_no_text_is_translated_inside_an_f_string() -> None:
    """lupdate does not look inside f-strings: ``f"<h2>{self.tr('Title')}</h2>"`` is never
    extracted."""
    found = []
    for path, tree in sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and called_name(inner) in TRANSLATING:
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not found, found


def test_a_tr_of_another_object_is_not_used() -> None:
    """``window.tr("…")`` is extracted under the context "window", which nothing uses."""
    found = []
    for path, tree in sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "tr"
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self")
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def test_data_texts_are_extracted_under_the_context_the_window_uses(extracted) -> None:
    wanted = {("catalogue", group) for group in catalogue.GROUPS}
    for entry in catalogue.ENTRIES:
        wanted |= {("catalogue", entry.label)} | (
            {("catalogue", entry.note)} if entry.note else set()
        )
    wanted |= {("kinds", text) for text in kinds.KIND_HELP.values()} | {
        ("kinds", kinds.PLAIN_BLOCK)
    }
    for kind in spec.NODE_TYPES.values():
        for field in dataclasses.fields(kind):
            help_text = field.metadata.get("help")
            if help_text:
                wanted.add(("spec", help_text))
            wanted |= {("spec", choice) for choice in field.metadata.get("choices", ())}
    wanted.add(("datasets", DATASETS["synthetic"].label))  # the others are names
    for entry in BUILT_INS.values():
        wanted.add(("experiments", entry.description))
        wanted |= {("experiments", spec.description) for spec in (entry.quick(), entry.full())}
    figures = {comparison.CAPTION, DEPTH_CAPTION, *comparison.PANEL_TITLES.values()}
    wanted |= {("figures", text) for text in figures}
    assert len(wanted) > 60
    assert not sorted(wanted - extracted)
