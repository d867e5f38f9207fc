"""Headless subcommands of ``resnet-studio``, one module each.

Every module has ``register(subparsers)``, which adds its parser and sets
``func``; ``func(args)`` returns the exit code. Modules import only ``arch``
at the top, so ``resnet-studio --help`` and ``summary`` start without torch;
torch is imported inside the commands that need it.
"""
