"""The ``resnet-studio`` command: opens the window, or runs a headless subcommand.

Neither torch nor Qt is imported at module level, so headless subcommands
start fast and never need a display.
"""

from __future__ import annotations

import argparse

from resnet_studio import __version__


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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; with no subcommand, open the main window."""
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", None)
    if func is not None:
        return int(func(args))

    from resnet_studio.gui.app import run_app

    return run_app()
