"""End-to-end tests run in the same sandbox as the GUI tests (tests/gui/conftest.py)."""

from tests.gui.conftest import dialogs, gui_sandbox  # noqa: F401 - fixtures
