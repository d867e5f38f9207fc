"""Per-layer statistics of runs, plain next to residual: the paper's Fig. 7.

The paper plots the standard deviation of each 3×3 layer's response (its
BatchNorm output, before the ReLU or the addition) in network order and
ranked in descending order: residual functions answer more weakly than
plain layers. The panel draws that, or the gradient norm of each conv/linear
weight, for the runs the window selects (a run and its plain twin), one
colour per run, at one epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from resnet_studio.figures.layers import GRAD_NORM, RESPONSE_STD, layer_values, stats_epochs
from resnet_studio.figures.render import plot_image_bytes
from resnet_studio.figures.style import run_colour
from resnet_studio.gui.on_screen import ScreenWatch, on_screen
from resnet_studio.gui.plot_axes import OpaqueGridAxis
from resnet_studio.gui.plot_title import KeyTitle
from resnet_studio.gui.runs_model import RunEntry, RunsModel
from resnet_studio.training.events import EpochEnd
from resnet_studio.writing import write_atomically

POLL_MS = 500
# The epoch box is a QSpinBox (a C int): epochs past it (only a damaged metrics file has
# them; a recipe stops at 100,000) are left out.
MAX_EPOCH = 2**31 - 1


@dataclass
class _Curve:
    """What is drawn for one run: values in network order and the epoch they come from."""

    entry: RunEntry
    epoch: int
    paths: list[str]
    x: np.ndarray
    y: np.ndarray
    item: pg.PlotDataItem | None = None


def _stats_epochs(entry: RunEntry) -> list[EpochEnd]:
    return [e for e in stats_epochs(entry) if e.epoch <= MAX_EPOCH]


def _records_stats(entry: RunEntry) -> bool:
    """Whether the run records layer statistics (each epoch does, once asked to)."""
    last = entry.last_epoch
    return last is not None and bool(last.layer_stats)


class LayerStatsPanel(QWidget):
    """Response std or gradient norm per layer of the shown runs, at one epoch.

    :meth:`show_runs` sets the runs (the selected ones); with none selected, it
    shows ``model``'s current run (:meth:`RunsModel.current`: the one training,
    else the latest, preferring runs that recorded statistics) with its twin. The
    panel polls the runs' ``version`` while on screen and redraws only when a
    run, or a control, changed. The epoch box follows the latest epoch until the
    user picks an earlier one; picking the latest again follows new epochs again.
    """

    def __init__(self, model: RunsModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._selected: list[RunEntry] = []
        self._entries: list[RunEntry] = []
        self._follow_latest = True
        self._drawn_key: object = None
        self._curves: list[_Curve] = []

        self.metric_box = QComboBox()
        self.metric_box.addItem(self.tr("Response std (Fig. 7)"), RESPONSE_STD)
        self.metric_box.addItem(self.tr("Gradient norm"), GRAD_NORM)
        self.metric_box.setToolTip(
            self.tr(
                "Response std: standard deviation of every value of each 3×3 layer's output "
                "after BN and before the addition and ReLU, over the first 4 validation "
                "batches, BN in eval mode.\n"
                "Gradient norm: norm of each conv/linear weight's gradient, last batch of "
                "the epoch."
            )
        )
        self.epoch_box = QSpinBox()
        self.epoch_box.setRange(0, 0)
        self.epoch_box.setEnabled(False)
        self.epoch_box.setToolTip(
            self.tr("The epoch whose statistics are shown; at the latest it follows new epochs")
        )
        self.sorted_box = QCheckBox(self.tr("Sorted (descending)"))
        self.sorted_box.setToolTip(
            self.tr("Rank the layers by value, largest first (Fig. 7, bottom)")
        )
        self.save_button = QPushButton(self.tr("Save Plot…"))
        self.save_button.setEnabled(False)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.metric_box)
        epoch_label = QLabel(self.tr("Epoch"))
        epoch_label.setBuddy(self.epoch_box)
        controls.addWidget(epoch_label)
        controls.addWidget(self.epoch_box)
        controls.addWidget(self.sorted_box)
        controls.addStretch(1)
        controls.addWidget(self.save_button)

        # Plain numbers on the log scale of gradient norms: 0.002, not 2·10⁻³.
        self.plot_widget = pg.PlotWidget(
            background="w", axisItems={side: OpaqueGridAxis(side) for side in ("left", "bottom")}
        )
        plot = self.plot_widget.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMenuEnabled(False)  # its log/derivative toggles would fight the panel's
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setPen("#333")
            plot.getAxis(axis).setTextPen("#333")
        plot.getAxis("left").enableAutoSIPrefix(False)  # "(x0.001)" reads badly for a std
        # The legend is the title: inside the plot it would hide points at any corner.
        self.title = KeyTitle(plot, sample="━●━")

        # Which runs miss the chosen epoch; shown under the plot.
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #666;")
        self.note_label.hide()
        plot_page = QWidget()
        plot_layout = QVBoxLayout(plot_page)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.addWidget(self.plot_widget, 1)
        plot_layout.addWidget(self.note_label)

        self.message_label = QLabel()
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #666;")
        self.message_label.setMargin(12)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.message_label)
        self.pages.addWidget(plot_page)

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.pages, 1)

        self.metric_box.currentIndexChanged.connect(self.refresh)
        self.sorted_box.toggled.connect(self.refresh)
        self.epoch_box.valueChanged.connect(self._on_epoch_chosen)
        self.save_button.clicked.connect(self.save_plot_dialog)

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        self._screen = ScreenWatch(self, self.refresh)  # brought to the front: catch up
        self.refresh()

    # --- public -------------------------------------------------------------------

    def show_runs(self, entries: list[RunEntry]) -> None:
        """Show these runs (typically the selected one and the rest of its group); none:
        the model's current run."""
        self._selected = list(entries)
        self.refresh()

    def entries(self) -> list[RunEntry]:
        """The runs shown: those selected, else the current run and its twin."""
        return list(self._entries)

    def _runs_to_show(self) -> list[RunEntry]:
        if self._selected or self._model is None:
            return self._selected
        return self._model.current(wanted=_records_stats)

    def current_metric(self) -> str:
        """``"response_std"`` or ``"grad_norm"``."""
        return self.metric_box.currentData()

    def set_metric(self, metric: str) -> None:
        self.metric_box.setCurrentIndex(self.metric_box.findData(metric))

    def set_epoch(self, epoch: int) -> None:
        """Show ``epoch`` (as if the user chose it; the latest one follows new epochs)."""
        self.epoch_box.setValue(epoch)

    def following_latest(self) -> bool:
        return self._follow_latest

    def refresh(self, *_args: object, force: bool = False) -> None:
        """Redraw if a run or a control changed since the last drawing (cheap otherwise)."""
        entries = self._runs_to_show()
        if [id(e) for e in entries] != [id(e) for e in self._entries]:
            self._follow_latest = True  # other runs: start again at their latest epoch
        self._entries = entries
        key = (
            tuple((id(e), e.version, len(e.epochs), e.colour, e.name) for e in self._entries),
            self.current_metric(),
            self.sorted_box.isChecked(),
            self._follow_latest,
            self.epoch_box.value(),
        )
        if key == self._drawn_key and not force:
            return
        self._update_epoch_box()
        self._redraw()
        # Keyed after the epoch box moved, so the next poll finds nothing new.
        self._drawn_key = key[:-2] + (self._follow_latest, self.epoch_box.value())

    # --- for tests and the window -------------------------------------------------

    def message(self) -> str:
        """The message shown instead of the plot; empty while the plot is shown."""
        return self.message_label.text() if self.pages.currentIndex() == 0 else ""

    def plotted(self, entry: RunEntry) -> tuple[np.ndarray, np.ndarray] | None:
        """(x, y) drawn for ``entry`` (y unscaled, even on a log axis); None if not drawn."""
        curve = self._curve(entry)
        return None if curve is None else (curve.x.copy(), curve.y.copy())

    def plotted_paths(self, entry: RunEntry) -> list[str] | None:
        """The layer path of each point drawn for ``entry``, in plotted order."""
        curve = self._curve(entry)
        return None if curve is None else list(curve.paths)

    def plotted_epoch(self, entry: RunEntry) -> int | None:
        curve = self._curve(entry)
        return None if curve is None else curve.epoch

    def hover_text(self, entry: RunEntry, index: int) -> str:
        """The tool tip of the ``index``-th point drawn for ``entry``."""
        curve = self._curve(entry)
        if curve is None or curve.item is None:
            raise KeyError(entry.name)
        scatter = curve.item.scatter
        point = scatter.points()[index]
        return scatter.opts["tip"](x=point.pos().x(), y=point.pos().y(), data=point.data())

    def legend_names(self) -> list[str]:
        """The run names in the legend, in drawing order."""
        return self.title.names()

    def log_scale(self) -> bool:
        """Whether the y axis is logarithmic (it is for gradient norms)."""
        return bool(self.plot_widget.getPlotItem().getAxis("left").logMode)

    def note(self) -> str:
        return self.note_label.text() if not self.note_label.isHidden() else ""

    # --- saving -------------------------------------------------------------------

    def save_plot(self, path: str | Path, width: int = 900) -> None:
        """Write the plot as PNG (or SVG, by suffix), atomically; raises OSError/ValueError."""
        path = Path(path)
        fmt = "svg" if path.suffix.lower() == ".svg" else "png"
        data = plot_image_bytes(self.plot_widget, fmt, width)
        write_atomically(path, data)

    def save_plot_dialog(self) -> None:
        """Ask for a file and save the plot there; a failure is reported, naming the file."""
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save Plot"),
            "layer-stats.png",
            self.tr("PNG image (*.png);;SVG image (*.svg)"),
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + ".png")
        try:
            self.save_plot(path)
        except (OSError, ValueError) as err:
            QMessageBox.warning(
                self,
                self.tr("Save Plot"),
                self.tr("Could not save the plot to {0}:\n{1}").format(path, err),
            )

    # --- internals ----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _poll(self) -> None:
        # Out of sight (hidden, or a tab behind another) it costs nothing; ScreenWatch
        # and the show event bring it up to date when it comes back.
        if on_screen(self):
            self.refresh()

    def _on_epoch_chosen(self, value: int) -> None:
        self._follow_latest = value >= self.epoch_box.maximum()
        self._set_epoch_suffix()
        self.refresh()

    def _set_epoch_suffix(self) -> None:
        latest = self._follow_latest and self.epoch_box.isEnabled()
        self.epoch_box.setSuffix(self.tr(" (latest)") if latest else "")

    def _curve(self, entry: RunEntry) -> _Curve | None:
        return next((c for c in self._curves if c.entry is entry), None)

    def _update_epoch_box(self) -> None:
        """Range: the epochs with statistics; at the latest while following."""
        epochs = sorted({e.epoch for entry in self._entries for e in _stats_epochs(entry)})
        box = self.epoch_box
        box.blockSignals(True)
        if epochs:
            box.setRange(epochs[0], epochs[-1])
            if self._follow_latest:
                box.setValue(epochs[-1])
        else:
            box.setRange(0, 0)
            self._follow_latest = True
        box.setEnabled(bool(epochs))
        box.setSpecialValueText("" if epochs else "–")  # no "0" while there is no epoch
        box.blockSignals(False)
        self._set_epoch_suffix()

    def _epoch_of(self, entry: RunEntry) -> EpochEnd | None:
        """The epoch drawn for ``entry``: its latest while following, else the chosen one."""
        stats = _stats_epochs(entry)
        if self._follow_latest:
            return stats[-1] if stats else None
        chosen = self.epoch_box.value()
        return next((e for e in reversed(stats) if e.epoch == chosen), None)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.pages.setCurrentIndex(0)
        self.save_button.setEnabled(False)

    def _redraw(self) -> None:
        plot = self.plot_widget.getPlotItem()
        plot.clear()
        self.title.set_keys([])
        plot.vb.setToolTip("")  # a hovered point's text must not outlive its curve
        self._curves = []
        metric = self.current_metric()
        if not self._entries:
            self._show_message(
                self.tr("Select a run to see its per-layer statistics.")
                if self._model is None
                else self.tr("No runs yet: train one to see its per-layer statistics.")
            )
            return
        if not any(_stats_epochs(e) for e in self._entries):
            self._show_message(
                self.tr(
                    "No layer statistics yet. Tick “Record layer statistics” in the Train "
                    "dialog; they are recorded at the end of each epoch."
                )
            )
            return

        missing = []
        found_epoch = False
        for entry in self._entries:
            epoch = self._epoch_of(entry)
            if epoch is None:
                if _stats_epochs(entry):  # runs without any statistics are simply left out
                    missing.append(entry.name)
                continue
            found_epoch = True
            paths, x, y = layer_values(epoch, metric, ranked=self.sorted_box.isChecked())
            if not paths:
                continue
            self._curves.append(_Curve(entry, epoch.epoch, paths, x, y))

        if not self._curves:
            if found_epoch and metric == RESPONSE_STD:
                text = self.tr(
                    "No response statistics: they are recorded for 3×3 convolutions "
                    "followed by BatchNorm, and these networks have none."
                )
            elif found_epoch:
                text = self.tr("No gradient norms were recorded for these runs.")
            else:
                text = self.tr("No statistics for epoch {0} in these runs.").format(
                    self.epoch_box.value()
                )
            self._show_message(text)
            return

        log = metric == GRAD_NORM  # gradient norms span decades
        plot.setLogMode(x=False, y=log)
        epochs_differ = len({c.epoch for c in self._curves}) > 1
        keys = []
        for i, curve in enumerate(self._curves):
            entry = curve.entry
            colour = entry.colour or run_colour(i)
            name = entry.name
            if epochs_differ:
                name = self.tr("{0} (epoch {1})").format(entry.name, curve.epoch)
            curve.item = plot.plot(
                curve.x,
                curve.y,
                pen=pg.mkPen(colour, width=2),
                symbol="o",
                symbolSize=6,
                symbolBrush=colour,
                symbolPen=colour,
                useCache=False,  # markers drawn as paths, not cached pixmaps: vectors in SVG
                data=[self._tip(p, v) for p, v in zip(curve.paths, curve.y, strict=True)],
            )
            # The scatter carries each point's text; the tool tip shows it on hover.
            curve.item.scatter.opts.update(hoverable=True, tip=lambda x, y, data: data, hoverSize=9)
            keys.append((name, colour))
        self.title.set_keys(keys)

        ranked = self.sorted_box.isChecked()
        plot.setLabel(
            "bottom",
            self.tr("layer, ranked by value") if ranked else self.tr("layer index (network order)"),
        )
        plot.setLabel(
            "left",
            self.tr("gradient norm (log scale)") if log else self.tr("response std"),
        )
        plot.enableAutoRange()

        if missing:
            self.note_label.setText(
                self.tr("No statistics for epoch {0}: {1}").format(
                    self.epoch_box.value(), ", ".join(missing)
                )
            )
        self.note_label.setVisible(bool(missing))
        self.pages.setCurrentIndex(1)
        self.save_button.setEnabled(True)

    def _tip(self, path: str, value: float) -> str:
        response = self.current_metric() == RESPONSE_STD
        label = self.tr("response std") if response else self.tr("grad norm")
        shown = f"{value:.4g}" if math.isfinite(value) else str(value)
        return f"{path}\n{label}: {shown}"
