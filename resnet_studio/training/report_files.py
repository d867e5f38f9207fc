"""An evaluation report as files: JSON, confusion matrix as CSV and PNG, the worst mistakes.

Drawn with Pillow (which torchvision already needs), so the command line
writes pictures without Qt or a display and without slowing the evaluation.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from resnet_studio.training.evaluation import EvaluationReport
from resnet_studio.training.heatmap import DARK, heat_colours, row_fractions
from resnet_studio.writing import WriteError, write_atomically

REPORT_FILES = ("report.json", "confusion.csv", "confusion.png", "mistakes.png")
_TEXT = (33, 33, 33)
_MAX_SIDE = 900  # pixels the matrix itself may take


class ReportError(ValueError):
    """The report cannot be written; the message names the file."""


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, int(size)))


def _text_width(draw: ImageDraw.ImageDraw, text: str, font) -> int:
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return int(right - left)


def confusion_image(report: EvaluationReport) -> Image.Image:
    """The confusion matrix as a heat map with counts (where they fit) and class names."""
    k = len(report.categories)
    cell = int(np.clip(_MAX_SIDE // max(k, 1), 3, 56))
    side = cell * k
    label_font = _font(min(14, cell * 0.7))
    show_labels = cell >= 10
    scratch = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    label_w = (
        max(_text_width(scratch, name, label_font) for name in report.categories) + 8
        if show_labels
        else 0
    )
    title_font = _font(15)
    margin_left, margin_top = 30 + label_w, 50
    width = max(margin_left + side + 20, 520)
    height = margin_top + side + label_w + 40
    image = Image.new("RGB", (width, height), "white")
    fractions = row_fractions(report.confusion)
    cells = Image.fromarray(heat_colours(fractions)).resize((side, side), Image.Resampling.NEAREST)
    image.paste(cells, (margin_left, margin_top))
    draw = ImageDraw.Draw(image)
    title = f"{report.dataset} {report.split}: {report.images:,} images, error {report.error:.2%}"
    draw.text((10, 10), title, fill=_TEXT, font=title_font)
    draw.text((margin_left, margin_top - 20), "predicted class", fill=_TEXT, font=_font(12))
    draw.rectangle(
        (margin_left - 1, margin_top - 1, margin_left + side, margin_top + side), outline="grey"
    )
    if cell >= 26:  # counts are readable only in cells this large
        count_font = _font(min(14, cell * 0.38))
        for r in range(k):
            for c in range(k):
                text = str(int(report.confusion[r, c]))
                colour = "white" if fractions[r, c] > DARK else _TEXT
                x = margin_left + c * cell + cell / 2
                y = margin_top + r * cell + cell / 2
                draw.text((x, y), text, fill=colour, font=count_font, anchor="mm")
    if show_labels:
        for i, name in enumerate(report.categories):
            y = margin_top + i * cell + cell / 2
            draw.text((margin_left - 6, y), name, fill=_TEXT, font=label_font, anchor="rm")
        # Column names run downwards under the matrix.
        strip = Image.new("RGB", (label_w, side), "white")
        strip_draw = ImageDraw.Draw(strip)
        for i, name in enumerate(report.categories):
            strip_draw.text(
                (label_w - 4, i * cell + cell / 2),
                name,
                fill=_TEXT,
                font=label_font,
                anchor="rm",
            )
        image.paste(strip.rotate(90, expand=True), (margin_left, margin_top + side + 4))
    axis = Image.new("RGB", (side, 16), "white")
    ImageDraw.Draw(axis).text((side // 2, 8), "true class", fill=_TEXT, font=_font(12), anchor="mm")
    image.paste(axis.rotate(90, expand=True), (6, margin_top))
    return image


def mistakes_image(report: EvaluationReport, columns: int = 8) -> Image.Image:
    """The worst-classified images in a grid, each with its true and predicted class."""
    mistakes = report.mistakes
    font = _font(12)
    if not mistakes:
        image = Image.new("RGB", (420, 60), "white")
        ImageDraw.Draw(image).text((10, 20), "no misclassified images", fill=_TEXT, font=font)
        return image
    _, h, w = mistakes[0].image.shape
    scale = max(1, 72 // max(h, w))
    thumb_w, thumb_h = w * scale, h * scale
    cell_w, cell_h = max(thumb_w, 120) + 10, thumb_h + 44
    rows = -(-len(mistakes) // columns)
    image = Image.new("RGB", (cell_w * min(columns, len(mistakes)), cell_h * rows + 30), "white")
    draw = ImageDraw.Draw(image)
    draw.text(
        (6, 6),
        f"the {len(mistakes)} worst-classified {report.split} images (highest loss first)",
        fill=_TEXT,
        font=_font(13),
    )
    names = report.categories
    for i, mistake in enumerate(mistakes):
        x, y = (i % columns) * cell_w + 5, (i // columns) * cell_h + 30
        pixels = mistake.image
        picture = Image.fromarray(pixels[0] if pixels.shape[0] == 1 else pixels.transpose(1, 2, 0))
        picture = picture.resize((thumb_w, thumb_h), Image.Resampling.NEAREST)
        image.paste(picture, (x + (cell_w - 10 - thumb_w) // 2, y))
        probability = mistake.top[0][1]
        draw.text((x, y + thumb_h + 3), f"true: {names[mistake.true]}", fill=_TEXT, font=font)
        draw.text(
            (x, y + thumb_h + 19),
            f"pred: {names[mistake.predicted]} ({probability:.0%})",
            fill=(198, 40, 40),
            font=font,
        )
    return image


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def confusion_csv(report: EvaluationReport) -> str:
    """Rows: true classes; columns: predicted classes; cells: image counts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["true \\ predicted", *report.categories])
    for name, row in zip(report.categories, report.confusion.tolist(), strict=True):
        writer.writerow([name, *row])
    return out.getvalue()


def write_report(report: EvaluationReport, folder: str | os.PathLike[str]) -> list[Path]:
    """Write the report files into ``folder`` (made if missing); each file atomically."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportError(f"{folder}: cannot create ({err.strerror or err})") from None
    contents = {
        "report.json": (json.dumps(report.to_dict(), indent=1) + "\n").encode(),
        "confusion.csv": confusion_csv(report).encode(),
        "confusion.png": _png(confusion_image(report)),
        "mistakes.png": _png(mistakes_image(report)),
    }
    written = []
    for name, data in contents.items():
        try:
            write_atomically(folder / name, data)
        except WriteError as err:
            raise ReportError(str(err)) from None
        written.append(folder / name)
    return written
