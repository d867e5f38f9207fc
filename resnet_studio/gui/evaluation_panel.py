"""The Evaluation tab: the selected run (and its twin, side by side) on held-out images.

For each run: error, top-1/top-5 on its data set's test split (or validation
split), the confusion matrix as a heat map, and the worst-classified images;
click one for its top-5. An image dropped on the panel (or chosen) is
classified by each run shown. Evaluating runs in the background with a
progress bar and is done once per run, split and set of weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.full_version import missing_full_version
from resnet_studio.gui import evaluation_jobs as jobs
from resnet_studio.gui.core_text import shown
from resnet_studio.gui.evaluation_views import ConfusionView, MistakesView
from resnet_studio.gui.full_version_box import refused_without_torch
from resnet_studio.gui.runs_model import RunEntry, RunsModel
from resnet_studio.training.history import ENDED
from resnet_studio.training.runs import CHECKPOINT_FILE, MODEL_FILE

MAX_COLUMNS = 2  # a run and its plain twin
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm")


def weights_stamp(path: Path | None) -> tuple[str, float] | None:
    """Which weights a run folder holds now (file and time), or None when it has none."""
    if path is None:
        return None
    for name in (MODEL_FILE, CHECKPOINT_FILE):
        try:
            return name, (path / name).stat().st_mtime
        except OSError:
            continue
    return None


@dataclass
class _Result:
    report: Any = None  # EvaluationReport
    predictor: Any = None
    error: str = ""


@dataclass
class _Column:
    entry: RunEntry
    widget: EvaluationColumn
    flag: jobs.CancelFlag | None = None
    key: tuple = field(default_factory=tuple)


class EvaluationColumn(QWidget):
    """One run's evaluation: a summary, the picked mistake, and below them (scrolling) the
    heat map and the mistakes, side by side when there is room, else one under the other."""

    WIDE = 560  # pixels from which heat map and mistakes stand side by side

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setMaximumHeight(16)
        self.progress.hide()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("color: #424242;")
        self.detail.hide()  # shown when a mistake is picked
        self.confusion = ConfusionView()
        self.mistakes = MistakesView()
        content = QWidget()
        self.pictures = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        self.pictures.setContentsMargins(0, 0, 0, 0)
        self.pictures.addWidget(self.confusion, 0, Qt.AlignmentFlag.AlignTop)
        self.pictures.addWidget(self.mistakes, 1, Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(content)
        self.scroll.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)
        layout.addWidget(self.detail)
        layout.addWidget(self.scroll, 1)
        self._report = None
        self.mistakes.mistake_selected.connect(self._show_mistake)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._arrange(self.scroll.viewport().width(), self.scroll.viewport().height())
        return False

    def _arrange(self, width: int, height: int) -> None:
        """The heat map as large as the visible height allows; mistakes beside or below."""
        # Only heights and maximum widths are set: a fixed width would hold the dock
        # open and squeeze the palette and inspector.
        extra = self.confusion.margins_width()
        top = self.confusion.TOP
        if width >= self.WIDE:
            self.pictures.setDirection(QBoxLayout.Direction.LeftToRight)
            side = max(100, min(height - 4 - top, int(width * 0.6) - extra))
            self.confusion.setMaximumWidth(side + extra)
            # Stretch, not a minimum width: the matrix grows to its square first.
            self.pictures.setStretch(0, 3)
            self.pictures.setStretch(1, 2)
        else:
            self.pictures.setDirection(QBoxLayout.Direction.TopToBottom)
            side = max(100, min(height - 4 - top, width - extra))
            self.confusion.setMaximumWidth(16_777_215)
            self.pictures.setStretch(0, 0)
            self.pictures.setStretch(1, 0)
        self.confusion.setFixedHeight(side + top + 4)

    @property
    def report(self):
        return self._report

    def show_state(self, name: str, message: str) -> None:
        """No report to show: say why (training, no weights, failed…)."""
        self._report = None
        self.title.setText(f"<b>{_escape(name)}</b> · {_escape(message)}")
        self.title.setToolTip("")
        self.confusion.set_report(None)
        self.mistakes.set_report(None)
        self.detail.hide()

    def show_report(self, name: str, report) -> None:
        self._report = report
        parts = [
            self.tr("{0} error <b>{1:.2%}</b>").format(_split_name(report.split), report.error),
        ]
        if report.top5 is not None:
            parts.append(self.tr("top-5 {0:.2%}").format(report.top5))
        self.title.setText(f"<b>{_escape(name)}</b> · " + " · ".join(parts))
        self.title.setToolTip(
            self.tr(
                "{0:,} {1} images of {2}; top-1 accuracy {3:.2%}; mean loss {4:.4f}. "
                "Beside or below the matrix: the {5} worst-classified images, highest loss "
                "first; click one for its top-5."
            ).format(
                report.images,
                _split_name(report.split),
                report.dataset,
                report.top1,
                report.loss,
                len(report.mistakes),
            )
        )
        self.confusion.set_report(report)
        self.mistakes.set_report(report)
        self.detail.hide()

    def _show_mistake(self, index: int) -> None:
        report = self._report
        if report is None or not 0 <= index < len(report.mistakes):
            return
        mistake = report.mistakes[index]
        names = report.categories
        top = ", ".join(f"{_escape(names[c])} {p:.1%}" for c, p in mistake.top)
        self.detail.setText(
            self.tr("Image {0}, true class <b>{1}</b>: top-5 {2}").format(
                mistake.index, _escape(names[mistake.true]), top
            )
        )
        self.detail.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _split_name(split: str) -> str:
    return {"test": "test", "val": "validation"}.get(split, split)


class DropZone(QLabel):
    """Where an image file is dropped (or chosen) to be classified; shows it small."""

    SIDE = 30

    def __init__(self, panel: EvaluationPanel) -> None:
        super().__init__(panel)
        # It takes no drops itself: Qt hands them to the panel, which takes them anywhere.
        self.setText(self.tr("Drop an image here"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumWidth(110)
        self.setFixedHeight(self.SIDE + 6)
        self.setToolTip(self.tr("Drop an image file to see each shown run's top-5 classes"))
        self.setStyleSheet("QLabel { border: 2px dashed #9e9e9e; border-radius: 5px; }")

    def show_image(self, path: Path) -> None:
        image = QImage(str(path))
        if image.isNull():
            self.setText(path.name)
            return
        big = max(image.width(), image.height()) > self.SIDE
        scaled = image.scaled(
            self.SIDE,
            self.SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation
            if big
            else Qt.TransformationMode.FastTransformation,
        )
        self.setPixmap(QPixmap.fromImage(scaled))
        self.setToolTip(str(path))


def image_path(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The first local image file a drag carries; None when it carries none."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    for url in urls:
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES:
            return Path(url.toLocalFile())
    return None


class EvaluationPanel(QWidget):
    """Evaluation of the runs selected in the Runs tab (a run and its twin side by side)."""

    def __init__(self, model: RunsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs_model = model
        self._entries: list[RunEntry] = []
        self._columns: list[_Column] = []
        self._results: dict[tuple, _Result] = {}
        self._on_screen = False
        self._image: Path | None = None
        self._answers: dict[str, str] = {}  # run name -> its answer for the shown image

        self.split_box = QComboBox()
        self.split_box.addItem(self.tr("Test split"), "test")
        self.split_box.addItem(self.tr("Validation split"), "val")
        self.split_box.setToolTip(
            self.tr("The test split is never used in training; validation picks nothing either")
        )
        self.split_box.currentIndexChanged.connect(self.refresh)
        self.evaluate_button = QPushButton(self.tr("Evaluate"))
        self.evaluate_button.setToolTip(self.tr("Evaluate the shown runs again"))
        self.evaluate_button.clicked.connect(lambda: self.refresh(force=True))
        self.save_button = QPushButton(self.tr("Save Report…"))
        self.save_button.setToolTip(
            self.tr("Write report.json, the confusion matrix (CSV, PNG) and the mistakes (PNG)")
        )
        self.save_button.clicked.connect(self.save_report_dialog)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #616161;")
        # Any width: a long hint must not hold the dock open and squeeze the side docks.
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.drop_zone = DropZone(self)
        self.choose_button = QPushButton(self.tr("Classify Image…"))
        self.choose_button.setToolTip(
            self.tr("Choose an image file to classify with the shown runs")
        )
        self.choose_button.clicked.connect(self.choose_image)
        controls = QHBoxLayout()
        controls.addWidget(self.split_box)
        controls.addWidget(self.evaluate_button)
        controls.addWidget(self.save_button)
        controls.addWidget(self.hint, 1)
        controls.addWidget(self.drop_zone)
        controls.addWidget(self.choose_button)
        # Each run's top-5 for the image dropped, under the controls.
        self.prediction = QLabel()
        self.prediction.setTextFormat(Qt.TextFormat.RichText)
        self.prediction.setWordWrap(True)
        self.prediction.hide()

        self.columns_box = QHBoxLayout()
        self.columns_box.setContentsMargins(0, 0, 0, 0)
        self.columns_box.setSpacing(12)
        self.placeholder = QLabel(
            self.tr("Select a trained run in the Runs tab to evaluate it on held-out images.")
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.columns_box.addWidget(self.placeholder, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.prediction)
        layout.addLayout(self.columns_box, 1)
        self.setAcceptDrops(True)  # the whole tab takes a dropped image, not just the zone
        model.dataChanged.connect(self._runs_changed)
        self._update_buttons()

    # --- what is shown ------------------------------------------------------------------

    @property
    def split(self) -> str:
        return str(self.split_box.currentData())

    def columns(self) -> list[EvaluationColumn]:
        return [c.widget for c in self._columns]

    def show_runs(self, entries: list[RunEntry]) -> None:
        """Show the selected runs (the first and the runs started with it)."""
        chosen = [e for e in entries if e.path is not None][:MAX_COLUMNS]
        if chosen == self._entries:
            return
        for column in self._columns:
            if column.flag is not None:
                column.flag.cancel()
            self.columns_box.removeWidget(column.widget)
            column.widget.deleteLater()
        self._entries = chosen
        self._columns = []
        for entry in chosen:
            widget = EvaluationColumn(self)
            self.columns_box.addWidget(widget, 1)
            self._columns.append(_Column(entry, widget))
        self.placeholder.setVisible(not chosen)
        self._answers = {}
        self.prediction.hide()
        self.refresh()

    def set_on_screen(self, visible: bool) -> None:
        """Evaluate only while the tab is on screen (a tabbed dock reports it here)."""
        self._on_screen = visible
        if visible:
            self.refresh()

    def _runs_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        entries = {id(e) for e in self._entries}
        rows = range(top.row(), bottom.row() + 1)
        if any(id(self.runs_model.record(r)) in entries for r in rows):
            self.refresh()

    def refresh(self, *_: object, force: bool = False) -> None:
        """Show each run's evaluation, starting those that are due (and on screen)."""
        for column in self._columns:
            self._refresh_column(column, force)
        self._update_buttons()

    def _refresh_column(self, column: _Column, force: bool) -> None:
        entry = column.entry
        if entry.damaged:  # nothing of it can be trusted, its weights included
            column.widget.show_state(
                entry.name, self.tr("damaged: {0}").format(shown(entry.reason))
            )
            return
        stamp = weights_stamp(entry.path)
        key = (str(entry.path), self.split, stamp)
        if force:
            self._results.pop(key, None)
        result = self._results.get(key)
        if result is not None:
            if result.error:
                column.widget.show_state(entry.name, result.error)
            elif column.widget.report is not result.report:
                column.widget.show_report(entry.name, result.report)
            column.key = key
            return
        if column.flag is not None and column.key == key:
            return  # already evaluating these weights
        if stamp is None:
            column.widget.show_state(entry.name, self.tr("no trained weights yet"))
            return
        if entry.status not in ENDED and not force:
            column.widget.show_state(
                entry.name,
                self.tr("training; evaluated when it ends (Evaluate: the last checkpoint now)"),
            )
            return
        if not self._on_screen and not force:
            return
        self._start(column, key)

    def _start(self, column: _Column, key: tuple) -> None:
        missing = missing_full_version("Evaluating a model")
        if missing is not None:  # in the column, not a box: this runs on every refresh
            column.widget.show_state(column.entry.name, missing)
            return
        if column.flag is not None:
            column.flag.cancel()
        column.key = key
        widget = column.widget
        widget.show_state(column.entry.name, self.tr("evaluating…"))
        widget.progress.setValue(0)
        widget.progress.show()
        path = column.entry.path
        assert path is not None

        def done(value: tuple) -> None:
            report, predictor = value
            self._finish(column, key, _Result(report, predictor))

        def failed(reason: str) -> None:
            self._finish(column, key, _Result(error=reason))

        def progress(done_images: int, total: int) -> None:
            if column.key == key:
                widget.progress.setMaximum(max(total, 1))
                widget.progress.setValue(done_images)

        column.flag = jobs.start(
            jobs.evaluate_run_job(path, self.split), done, failed, progress, owner=self
        )

    def _finish(self, column: _Column, key: tuple, result: _Result) -> None:
        self._results[key] = result
        if column not in self._columns or column.key != key:
            return  # the user has moved on; the result stays cached
        column.flag = None
        column.widget.progress.hide()
        self._refresh_column(column, force=False)
        self._update_buttons()
        if self._image is not None and result.predictor is not None:
            self.classify(self._image)

    def _update_buttons(self) -> None:
        evaluating = any(c.flag is not None for c in self._columns)
        self.evaluate_button.setEnabled(bool(self._columns))
        self.save_button.setEnabled(any(c.widget.report is not None for c in self._columns))
        self.hint.setText(self.tr("evaluating in the background…") if evaluating else "")

    # --- predictions on one's own image -------------------------------------------------

    def classify(self, image: Path) -> None:
        """Classify ``image`` with every shown run that has trained weights."""
        if refused_without_torch(self, "Classifying images"):
            return
        self._image = image
        self.drop_zone.show_image(image)
        self._answers = {}
        self.prediction.show()
        if not self._columns:
            self.prediction.setText(self.tr("Select a trained run first."))
            return
        for column in self._columns:
            entry = column.entry
            result = self._results.get(column.key)
            if result is not None and result.predictor is not None:
                self._classify_with(entry.name, result.predictor, image)
            elif weights_stamp(entry.path) is not None and entry.path is not None:
                name = entry.name
                jobs.start(
                    jobs.predictor_job(entry.path),
                    lambda predictor, name=name: self._classify_with(name, predictor, image),
                    lambda reason, name=name: self._answer(name, image, reason),
                    owner=self,
                )
            else:
                self._answer(entry.name, image, self.tr("no trained weights yet"))

    def _classify_with(self, name: str, predictor: Any, image: Path) -> None:
        jobs.start(
            jobs.classify_job(predictor, image),
            lambda top: self._answer(name, image, top),
            lambda reason: self._answer(name, image, reason),
            owner=self,
        )

    def _answer(self, name: str, image: Path, answer: list | str) -> None:
        if image != self._image:
            return  # an answer for an image no longer shown
        if isinstance(answer, str):
            text = f"<span style='color:#c62828'>{_escape(answer)}</span>"
        else:
            first, *rest = answer
            text = f"<b>{_escape(first[0])} {first[1]:.1%}</b>" + "".join(
                f", {_escape(c)} {p:.1%}" for c, p in rest
            )
        self._answers[name] = f"{_escape(name)}: {text}"
        order = [c.entry.name for c in self._columns]
        lines = [self._answers[n] for n in order if n in self._answers]
        self.prediction.setText(f"{_escape(image.name)} → " + "<br>".join(lines))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if image_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        path = image_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.classify(path)

    def choose_image(self) -> None:
        if refused_without_torch(self, "Classifying images"):
            return
        suffixes = " ".join(f"*{s}" for s in IMAGE_SUFFIXES)
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Classify Image"), "", self.tr("Images ({0})").format(suffixes)
        )
        if name:
            self.classify(Path(name))

    # --- saving -------------------------------------------------------------------------

    def save_report_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Save Evaluation Report"))
        if folder:
            self.save_reports(Path(folder))

    def save_reports(self, folder: Path) -> None:
        """Write each shown report into ``folder`` (a subfolder per run when there are two)."""
        shown = [(c.entry.name, c.widget.report) for c in self._columns if c.widget.report]
        for name, report in shown:
            target = folder / _folder_name(name) if len(shown) > 1 else folder
            jobs.start(
                jobs.write_report_job(report, target),
                lambda paths, target=target: self.hint.setText(
                    self.tr("Saved the report in {0}").format(target)
                ),
                lambda reason: QMessageBox.warning(self, self.tr("Cannot save the report"), reason),
                owner=self,  # the files are written all the same; only the message is not
            )


def _folder_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in name) or "run"
