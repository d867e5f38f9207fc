"""The one-way import rule: gui → training → model (and importer) → arch, figures beside gui.

Each package (and every submodule) is imported in a fresh interpreter with
its forbidden dependencies blocked by a ``sys.meta_path`` finder. The source
is also read (``ast``), so an import inside a function, which the blocker
meets only when the function runs, breaks the rule too: the command line
(``cli_commands``) never imports the window (``gui``), ``model`` never
``training``, and the figures' curve data never Qt or pyqtgraph.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

FORBIDDEN = {
    "resnet_studio.arch": ("torch", "torchvision", "PySide6", "pyqtgraph"),
    "resnet_studio.model": ("PySide6", "pyqtgraph"),
    # Imports foreign models: torch, like model/, never Qt.
    "resnet_studio.importer": ("PySide6", "pyqtgraph"),
    "resnet_studio.training": ("PySide6", "pyqtgraph"),
    # Qt only inside the functions that draw (figures.render): never at import.
    "resnet_studio.figures": ("PySide6", "pyqtgraph"),
    "resnet_studio.cli_commands": ("PySide6", "pyqtgraph"),
}

_CHECK = r"""
import importlib, json, pkgutil, sys, traceback

package, forbidden = sys.argv[1], set(json.loads(sys.argv[2]))


class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in forbidden:
            raise ImportError(f"layering: {name!r} is forbidden here")
        return None


sys.meta_path.insert(0, Blocker())
failures = []


def record(name):
    failures.append(f"{name}:\n{traceback.format_exc()}")


try:
    pkg = importlib.import_module(package)
except Exception:
    record(package)
else:
    for info in pkgutil.walk_packages(pkg.__path__, package + ".", onerror=record):
        try:
            importlib.import_module(info.name)
        except Exception:
            record(info.name)

print("\n".join(failures))
sys.exit(1 if failures else 0)
"""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upper_layers(package: str) -> None:
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} does not exist yet")
    forbidden = FORBIDDEN[package]
    result = subprocess.run(
        [sys.executable, "-c", _CHECK, package, json.dumps(forbidden)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"{package} (or a submodule) imports one of {forbidden}:\n{result.stdout}\n{result.stderr}"
    )


# --- the source, read: imports anywhere in a module, functions included -----------------

PACKAGE = Path(__file__).resolve().parents[1] / "resnet_studio"
QT = ("PySide6", "pyqtgraph")
UPPER = ("resnet_studio.gui", "resnet_studio.cli_commands")
# Packages and what no line of theirs may import, even inside a function.
NEVER_IMPORTS = {
    "resnet_studio.arch": (
        "resnet_studio.model",
        "resnet_studio.training",
        "resnet_studio.figures",
        *UPPER,
        *QT,
    ),
    "resnet_studio.model": ("resnet_studio.training", "resnet_studio.figures", *UPPER, *QT),
    "resnet_studio.importer": (
        "resnet_studio.training",
        "resnet_studio.figures",
        *UPPER,
        *QT,
    ),
    "resnet_studio.training": (*UPPER, *QT),
    "resnet_studio.figures": UPPER,
    "resnet_studio.cli_commands": ("resnet_studio.gui", *QT),
}
FIGURES = "resnet_studio.figures"
# The figures module that draws may import Qt inside its functions; the others (curve
# data: points, bands, panels, colours) not at all.
FIGURES_RENDERER = "resnet_studio.figures.render"


def imports(tree: ast.Module, package: str, at_import_only: bool = False) -> list[tuple[int, str]]:
    """(line, module) of each import in ``tree``, a module of ``package``; with
    ``at_import_only``, those that run on import (not in a function, nor TYPE_CHECKING)."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, running: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            running = False
        counted = running or not at_import_only
        if isinstance(node, ast.Import) and counted:
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and counted:
            base = node.module or ""
            if node.level:  # relative: the package, one level up per dot past the first
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], *filter(None, [base])])
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                visit(child, False)
            for child in node.orelse:
                visit(child, running)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, running)

    visit(tree, True)
    return found


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def breaches(root: Path) -> list[str]:
    """Every import under ``root`` (a ``resnet_studio`` folder) that breaks a rule."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        package = module if is_package else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rules = [r for p, r in NEVER_IMPORTS.items() if within(module, (p,))]
        curve_data = within(module, (FIGURES,)) and module != FIGURES_RENDERER
        for line, name in imports(tree, package):
            if any(within(name, forbidden) for forbidden in rules):
                found.append(f"{path.name}:{line}: {module} imports {name}")
            elif curve_data and within(name, QT):
                found.append(f"{path.name}:{line}: {module} (curve data) imports {name}")
        if within(module, (FIGURES,)):
            for line, name in imports(tree, package, at_import_only=True):
                if within(name, QT):
                    found.append(f"{path.name}:{line}: {module} imports {name} when imported")
    return found


def test_no_module_imports_a_layer_above_it_anywhere() -> None:
    assert breaches(PACKAGE) == []


def test_the_source_check_finds_imports_inside_functions(tmp_path: Path) -> None:
    """The check reads what the blocker would miss: imports in functions, relative ones."""
    fake = tmp_path / "resnet_studio"
    for package in ("cli_commands", "model", "figures"):
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text("")
    (fake / "cli_commands" / "plot.py").write_text(
        "def run():\n    from resnet_studio.gui.curves import draw\n"
    )
    (fake / "model" / "load.py").write_text("from ..training import runs\n")
    (fake / "figures" / "curves.py").write_text("def f():\n    import pyqtgraph\n")
    (fake / "figures" / "render.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import PySide6\n"
        "def draw():\n    import pyqtgraph\nimport PySide6.QtGui\n"
    )
    assert breaches(fake) == [
        "plot.py:2: resnet_studio.cli_commands.plot imports resnet_studio.gui.curves",
        "plot.py:2: resnet_studio.cli_commands.plot imports resnet_studio.gui.curves.draw",
        "curves.py:2: resnet_studio.figures.curves (curve data) imports pyqtgraph",
        "render.py:6: resnet_studio.figures.render imports PySide6.QtGui when imported",
        "load.py:1: resnet_studio.model.load imports resnet_studio.training",
        "load.py:1: resnet_studio.model.load imports resnet_studio.training.runs",
    ]


# --- a fresh interpreter: what importing loads ------------------------------------------

_LOADED = r"""
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
print(json.dumps(sorted({m.partition(".")[0] for m in sys.modules} & {"PySide6", "pyqtgraph"})
                 + sorted(m for m in sys.modules if m.startswith("resnet_studio.gui"))))
"""


def test_figures_and_compare_load_no_qt_when_imported() -> None:
    modules = [
        "resnet_studio.figures.curves",
        "resnet_studio.figures.bands",
        "resnet_studio.figures.comparison",
        "resnet_studio.figures.layers",
        "resnet_studio.figures.render",
        "resnet_studio.cli_commands.compare",
        "resnet_studio.cli",
    ]
    result = subprocess.run(
        [sys.executable, "-c", _LOADED, json.dumps(modules)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# --- one home for editing: the window and the canvas ask the document ------------------

GUI = PACKAGE / "gui"
# The views that must not edit the tree themselves, and their classes.
VIEWS = {"main_window.py": "MainWindow", "canvas.py": "CanvasView"}
# The Qt-free modules that hold the edits and the rules of where a new layer goes.
EDITING = ("resnet_studio.arch.edit", "resnet_studio.arch.placement")
# Copying a node field by field is spec surgery too, whatever the module calls it.
SURGERY_CALLS = {"dataclasses.replace", "replace"}


def editing_functions() -> set[str]:
    """The names of the functions defined in the editing modules."""
    found = set()
    for name in EDITING:
        module = importlib.import_module(name)
        found |= {
            attr
            for attr, value in vars(module).items()
            if callable(value) and getattr(value, "__module__", None) == name
        }
    return found


def spec_surgery(source: str, class_name: str, functions: set[str]) -> list[str]:
    """Where ``class_name`` in ``source`` edits the tree itself rather than through the
    document: a method named after an editing function (``_channels_at``), or a call of
    one (``edit.insert_node(...)``, ``locate(...)``), or of ``dataclasses.replace``."""
    tree = ast.parse(source)
    found = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name):
        for node in ast.walk(cls):
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in functions:
                found.append(f"{class_name}.{node.name} (line {node.lineno}) is editing logic")
            elif isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                module, _, name = called.rpartition(".")
                if called in SURGERY_CALLS or (
                    name in functions and module in ("", "edit", "placement")
                ):
                    found.append(f"{class_name} calls {called} (line {node.lineno})")
    return found


def test_the_window_and_the_canvas_leave_editing_to_the_document() -> None:
    functions = editing_functions()
    assert {"insert_node", "wrap_nodes", "insertion_point", "channels_at"} <= functions
    found = []
    for file, class_name in VIEWS.items():
        source = (GUI / file).read_text(encoding="utf-8")
        found += spec_surgery(source, class_name, functions)
    assert found == []


def test_the_editing_check_finds_surgery_and_editing_methods() -> None:
    source = (
        "import dataclasses\n"
        "class MainWindow:\n"
        "    def _channels_at(self, parent, index):\n"
        "        return None\n"
        "    def paste(self):\n"
        "        net = edit.insert_node(self.document.network, None, 0, node)\n"
        "        where = locate(net, node.id)\n"
        "        self.document.apply(dataclasses.replace(net, name='x'), 'Paste')\n"
        "    def duplicate(self):\n"
        "        self.document.duplicate()\n"
        "        self.title.replace('a', 'b')\n"
    )
    assert spec_surgery(source, "MainWindow", editing_functions()) == [
        "MainWindow._channels_at (line 3) is editing logic",
        "MainWindow calls edit.insert_node (line 6)",
        "MainWindow calls locate (line 7)",
        "MainWindow calls dataclasses.replace (line 8)",
    ]
