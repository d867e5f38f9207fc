"""The ``resnet-studio`` command: opens the window, or runs a headless subcommand.

Neither torch nor Qt is imported at module level, so headless subcommands
start fast and never need a display.
"""

from __future__ import annotations

import argparse
import os
import sys

from resnet_studio import __version__
from resnet_studio.arch.presets import UnknownPresetError
from resnet_studio.arch.project import ProjectError
from resnet_studio.arch.spec import SpecError
from resnet_studio.cli_commands import (
    compare,
    diff,
    evaluate,
    experiment,
    export,
    import_model,
    new,
    predict,
    presets,
    responses,
    summary,
    train,
)
from resnet_studio.cli_commands.common import CommandError
from resnet_studio.full_version import FullVersionError
from resnet_studio.writing import WriteError

# Exit status for a user's mistake (bad file, bad option), as argparse uses for usage errors.
USER_ERROR = 2
# Errors of torch-importing modules, by (module, class name): caught only once the module
# is loaded, so main never imports torch just to catch them.
_LAZY_USER_ERRORS = (
    ("resnet_studio.model.build", "BuildError"),
    ("resnet_studio.importer.errors", "SourceError"),
    ("resnet_studio.model.files", "ModelFileError"),
    ("resnet_studio.model.metadata", "MetaError"),
    ("resnet_studio.training.report_files", "ReportError"),
    ("resnet_studio.training.datasets", "DatasetError"),
    ("resnet_studio.training.recipe", "RecipeError"),
    ("resnet_studio.training.orchestration", "DataMismatchError"),
    ("resnet_studio.training.runs", "RunFolderError"),
    ("resnet_studio.training.experiment", "ExperimentError"),
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="resnet-studio",
        description="Design, train and export residual networks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _register_subcommands(subparsers)
    return parser


def _register_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Register headless subcommands here.

    Each subcommand adds its own parser and sets ``func`` via
    ``parser.set_defaults(func=...)``; ``func(args)`` returns an exit code.
    Import heavy modules (torch) inside ``func``, never here.
    """
    for command in (
        presets,
        new,
        summary,
        export,
        import_model,
        train,
        compare,
        diff,
        evaluate,
        predict,
        responses,
        experiment,
    ):
        command.register(subparsers)


def _user_error_types() -> tuple[type[Exception], ...]:
    """The exception types that mean "the user's input is wrong", not "a bug"."""
    types: list[type[Exception]] = [
        CommandError,
        FullVersionError,
        SpecError,
        ProjectError,
        UnknownPresetError,
        WriteError,
    ]
    for module_name, class_name in _LAZY_USER_ERRORS:
        module = sys.modules.get(module_name)
        if module is not None:
            types.append(getattr(module, class_name))
    return tuple(types)


def _one_line(err: Exception) -> str:
    return " ".join(line.strip() for line in str(err).splitlines() if line.strip())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; with no subcommand, open the main window."""
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", None)
    if func is not None:
        try:
            return int(func(args))
        except KeyboardInterrupt:
            print("resnet-studio: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            # The reader went away (``summary ... | head``): not an error worth a traceback.
            # Point stdout at devnull so the interpreter's final flush cannot fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 128 + 13  # as a shell reports SIGPIPE
        except Exception as err:
            if not isinstance(err, _user_error_types()):
                raise  # a bug: keep the traceback
            print(f"resnet-studio: error: {_one_line(err)}", file=sys.stderr)
            return USER_ERROR

    if _no_display():
        print(
            "resnet-studio: error: no display to open the window on (DISPLAY and "
            "WAYLAND_DISPLAY are unset); run it in a desktop session, or use a command "
            "such as 'resnet-studio train' (see 'resnet-studio --help')",
            file=sys.stderr,
        )
        return USER_ERROR
    # Qt would abort blaming libxcb-cursor0 whatever is missing: name what is, first.
    from resnet_studio.xcb_check import problem

    missing = problem(os.environ)
    if missing is not None:
        print(f"resnet-studio: error: {missing}", file=sys.stderr)
        return USER_ERROR

    from resnet_studio.gui.app import run_app

    return run_app()


def _no_display() -> bool:
    """True on Linux with no X11 or Wayland display (Qt would abort with a core dump)."""
    env = os.environ
    return (
        sys.platform.startswith("linux")
        and not env.get("DISPLAY")
        and not env.get("WAYLAND_DISPLAY")
        and not env.get("QT_QPA_PLATFORM")  # offscreen, vnc…: the user chose a platform
    )
