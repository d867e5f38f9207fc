"""Figures drawn without a screen: PNG, SVG and PDF, panels side by side, bands shown."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from resnet_studio.figures.figure import CurveFigure, Panel, Series
from resnet_studio.figures.render import BAND_ALPHA, plot_format, save_figure

BLUE, RED = "#1f77b4", "#d62728"


def two_panels() -> CurveFigure:
    x = np.arange(1.0, 11.0)
    plain = Panel(
        "plain",
        (
            Series(x, 80 - x, BLUE, dashed=True),
            Series(x, 85 - x, BLUE, label="plain-20", markers=True),
        ),
    )
    residual = Panel(
        "ResNet",
        (Series(x, 60 - 2 * x, RED, label="ResNet-20 (3 seeds)", spread=np.full(10, 8.0)),),
    )
    return CurveFigure((plain, residual), "epoch", "error (%)", "dashed: training")


def pixels(path: Path) -> np.ndarray:
    """The image's RGB values, (height, width, 3)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    assert not image.isNull()
    rows = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(
        image.height(), image.bytesPerLine()
    )
    return rows[:, : 3 * image.width()].reshape(image.height(), image.width(), 3).copy()


def share_near(image: np.ndarray, colour: tuple[float, float, float], tolerance: int = 6) -> float:
    return float(np.mean(np.all(np.abs(image.astype(int) - colour) <= tolerance, axis=2)))


def test_png_shows_both_panels_their_lines_and_the_band(tmp_path: Path) -> None:
    path = tmp_path / "fig6.png"
    save_figure(two_panels(), path)
    image = pixels(path)
    assert image.shape[1] == 1520  # two panels: wider than one (900)
    red = np.array([0xD6, 0x27, 0x28])
    band = 255 - (255 - red) * BAND_ALPHA / 255  # the red band over white
    assert share_near(image, tuple(band)) > 0.02  # a wide band: a few % of the picture
    assert share_near(image, (0x1F, 0x77, 0xB4), 30) > 0.0005  # the blue lines
    left, right = image[:, :760], image[:, 760:]
    assert share_near(left, (0x1F, 0x77, 0xB4), 30) > share_near(right, (0x1F, 0x77, 0xB4), 30)
    assert share_near(right, tuple(band)) > share_near(left, tuple(band))


def test_svg_keeps_titles_caption_and_legend_as_text(tmp_path: Path) -> None:
    path = tmp_path / "fig6.svg"
    save_figure(two_panels(), path)
    root = ElementTree.parse(path).getroot()
    texts = {(e.text or "").strip() for e in root.iter() if e.tag.endswith("text")}
    assert {"plain", "ResNet", "dashed: training", "plain-20", "ResNet-20 (3 seeds)"} <= texts
    assert {"epoch", "error (%)"} <= texts


def test_pdf_and_one_panel(tmp_path: Path) -> None:
    one = CurveFigure((two_panels().panels[0],), "iteration", "loss", "caption")
    save_figure(one, tmp_path / "one.pdf")
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")
    save_figure(one, tmp_path / "one.png")
    assert pixels(tmp_path / "one.png").shape[1] == 900


def test_other_endings_are_refused_before_drawing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png, \.svg, \.pdf; not \.jpg"):
        save_figure(two_panels(), tmp_path / "fig.jpg")
    assert plot_format("A.SVG") == "svg"
    assert not (tmp_path / "fig.jpg").exists()


def test_error_against_depth_is_labelled_at_the_depths(tmp_path: Path) -> None:
    depths = np.array([20.0, 32.0, 44.0, 56.0, 110.0])
    line = Series(depths, 60 - depths / 10, RED, label="plain", markers=True)
    figure = CurveFigure((Panel("depth", (line,)),), "depth (layers)", "error (%)")
    labelled = CurveFigure(figure.panels, figure.x_label, figure.y_label, x_ticks=(20, 56, 110))

    def tick_texts(figure: CurveFigure) -> set[str]:
        path = tmp_path / "depth.svg"
        save_figure(figure, path)
        root = ElementTree.parse(path).getroot()
        return {(e.text or "").strip() for e in root.iter() if e.tag.endswith("text")}

    assert {"20", "56", "110"} <= tick_texts(labelled) and "100" not in tick_texts(labelled)
    assert "100" in tick_texts(figure)  # without: round numbers


def test_a_scene_drawn_as_png_svg_and_pdf(tmp_path: Path) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QGraphicsScene

    from resnet_studio.figures.render import application, render_scene

    application()
    scene = QGraphicsScene()
    scene.addRect(QRectF(0, 0, 100, 50), QColor("black"), QColor(RED))
    entered: list[float] = []

    class Exporting:
        def __init__(self, scale: float) -> None:
            entered.append(scale)

        def __enter__(self) -> None:
            return None

        def __exit__(self, *_exc: object) -> None:
            entered.append(-1.0)

    png = tmp_path / "scene.png"
    png.write_bytes(render_scene(scene, QRectF(0, 0, 200, 50), "png", width=400))
    image = pixels(png)
    assert image.shape[:2] == (100, 400)  # twice the source: 2 pixels a unit
    assert share_near(image[:, :200], (0xD6, 0x27, 0x28)) > 0.9  # the rect, scaled
    assert share_near(image[:, 210:], (255, 255, 255)) == 1.0  # on white
    svg = render_scene(scene, QRectF(0, 0, 200, 50), "svg", title="my net", exporting=Exporting)
    assert b"<title>my net</title>" in svg
    assert entered == [1.0, -1.0]
    assert render_scene(scene, QRectF(0, 0, 200, 50), "pdf", dpi=96).startswith(b"%PDF")
    with pytest.raises(ValueError, match="cannot draw a scene as 'jpg'"):
        render_scene(scene, QRectF(0, 0, 200, 50), "jpg")


def test_every_picture_of_a_scene_is_drawn_by_render_scene() -> None:
    """One renderer: no other module makes its own SVG generator or PDF writer."""
    package = Path(__file__).resolve().parents[2] / "resnet_studio"
    makers = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "QSvgGenerator(" in (text := path.read_text(encoding="utf-8")) or "QPdfWriter(" in text
    }
    assert makers == {"figures/render.py"}
