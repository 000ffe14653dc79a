"""PNG and PDF copies of a picture core wrote as SVG (the confusion matrix of ``core/confusion_picture``),
for a report or a paper: PNG 1200 px wide or more, tagged 300 dots per inch (so a word processor places it
4 inches wide, a paper's column, not 12.5 inches at the 96 dpi Qt tags by default), PDF vector at the
picture's own size. Each written atomically next to the SVG."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.fileio import atomic_write_bytes
from edgeling.gui.qt import QBuffer, QByteArray, QImage, QPainter, QPdfWriter, QSvgRenderer, Qt

PNG_MIN_WIDTH = 1200
PNG_DPI = 300


def picture_copies(svg_path: Path) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.pdf`` beside ``svg_path``; OSError when the SVG cannot be read or
    drawn, or a copy cannot be written."""
    svg_path = Path(svg_path)
    renderer = QSvgRenderer(QByteArray(svg_path.read_bytes()))
    if not renderer.isValid():
        raise OSError(f"{svg_path.name} could not be drawn")
    size = renderer.defaultSize()
    return [atomic_write_bytes(svg_path.with_suffix(".png"), _png(renderer, size)),
            atomic_write_bytes(svg_path.with_suffix(".pdf"), _pdf(renderer, size))]


def _png(renderer: QSvgRenderer, size) -> bytes:
    scale = max(1.0, PNG_MIN_WIDTH / max(size.width(), 1))
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    image.setDotsPerMeterX(round(PNG_DPI / 0.0254))    # the PNG's pHYs: 1200 px land 4 inches wide
    image.setDotsPerMeterY(round(PNG_DPI / 0.0254))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    renderer.render(painter)
    painter.end()
    return _saved(lambda device: image.save(device, "PNG"))


def _pdf(renderer: QSvgRenderer, size) -> bytes:
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize

    def draw(device) -> bool:
        pdf = QPdfWriter(device)
        pdf.setResolution(72)   # one SVG pixel = one point: the page is the picture's own size
        pdf.setPageLayout(QPageLayout(QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        painter = QPainter(pdf)
        renderer.render(painter)
        ok = painter.end()
        del pdf   # the PDF is finished when the writer goes away
        return ok
    return _saved(draw)


def _saved(draw) -> bytes:
    """What ``draw(device)`` writes into an in-memory device; OSError if it reports a failure."""
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    if draw(buf) is False:
        raise OSError("the picture could not be drawn")
    buf.close()
    return bytes(buf.data())
