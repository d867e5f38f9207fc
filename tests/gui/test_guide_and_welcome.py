"""Help → About Residual Learning and the start page, as dialogs (the window's part of
acting on their choices is tested with the window)."""

from __future__ import annotations

import re

from PySide6.QtCore import QSettings, QUrl

from resnet_studio.gui.guide import GuideDialog, parse_link
from resnet_studio.gui.welcome import (
    COMPARISON,
    REOPEN,
    REOPEN_KEY,
    SHOW_KEY,
    WelcomeDialog,
    project_to_reopen,
)


def test_every_link_of_the_guide_leads_to_a_preset_or_study_and_is_reported(qtbot) -> None:
    guide = GuideDialog()
    qtbot.addWidget(guide)
    links = re.findall(r'href="([^"]+)"', guide.html())
    assert {parse_link(QUrl(link))[0] for link in links} == {"preset", "twin", "experiment"}
    clicked = []
    guide.link_activated.connect(lambda kind, name: clicked.append((kind, name)))
    for link in links:
        guide.browser.anchorClicked.emit(QUrl(link))
    assert ("experiment", "degradation-cifar") in clicked and len(clicked) == len(links)
    guide.browser.anchorClicked.emit(QUrl("https://example.org"))  # not ours: ignored
    assert len(clicked) == len(links)
    for text in ("F(x) + x", "identity", "Option A", "1×1", "Fig. 7"):
        assert text in guide.browser.toPlainText()


def test_links_to_unknown_networks_or_studies_are_refused() -> None:
    assert parse_link(QUrl("studio:preset/cifar-resnet20")) == ("preset", "cifar-resnet20")
    assert parse_link(QUrl("studio:preset/resnet9000")) is None
    assert parse_link(QUrl("studio:experiment/cifar-resnet20")) is None
    assert parse_link(QUrl("studio:delete/everything")) is None
    assert parse_link(QUrl("file:preset/resnet18")) is None


def test_the_start_page_reports_the_choice_and_remembers_its_boxes(qtbot, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    project = tmp_path / "mine.json"
    project.write_text("{}")
    page = WelcomeDialog(settings, [str(project)])
    qtbot.addWidget(page)
    chosen = []
    page.chosen.connect(lambda choice, path: chosen.append((choice, path)))
    assert "mine.json" in page.buttons[REOPEN].text()
    page.buttons[REOPEN].click()
    page.buttons[COMPARISON].click()
    assert chosen == [(REOPEN, str(project)), (COMPARISON, "")]
    assert page.show_box.isChecked() and not page.reopen_box.isChecked()  # the defaults
    assert project_to_reopen(settings, [str(project)]) is None
    page.show_box.setChecked(False)
    page.reopen_box.setChecked(True)
    settings.sync()
    again = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert again.value(SHOW_KEY) in (False, "false") and again.value(REOPEN_KEY) in (True, "true")
    assert project_to_reopen(again, [str(project)]) == project
    project.unlink()  # gone since: the start-up does not try to open it
    assert project_to_reopen(again, [str(project)]) is None


def test_without_recent_projects_there_is_nothing_to_reopen(qtbot, tmp_path) -> None:
    page = WelcomeDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), [])
    qtbot.addWidget(page)
    assert REOPEN not in page.buttons and len(page.buttons) == 5
