"""A chart as files for a report: PNG (1200 px wide), SVG and PDF (vector), each written atomically."""

from __future__ import annotations

from pathlib import Path

from edgeling.core.fileio import atomic_write_bytes
from edgeling.gui.qt import QBuffer, QPainter, QPdfWriter, QSvgGenerator


def save_chart_files(plot, folder: Path, stem: str) -> list[Path]:
    """Write ``plot`` (a pyqtgraph PlotWidget) as ``stem``.png / .svg / .pdf into ``folder``."""
    import pyqtgraph.exporters as exporters

    image = exporters.ImageExporter(plot.plotItem)
    image.parameters()["width"] = 1200
    png = image.export(toBytes=True)  # a QImage
    return [atomic_write_bytes(folder / f"{stem}.{suffix}", _rendered(draw))
            for suffix, draw in (("png", lambda dev: png.save(dev, "PNG")),
                                 ("svg", lambda dev: _render_svg(plot, dev)),
                                 ("pdf", lambda dev: _render_pdf(plot, dev)))]


def _rendered(draw) -> bytes:
    """What ``draw(device)`` writes into an in-memory device; OSError if it reports a failure."""
    buf = QBuffer()
    buf.open(QBuffer.OpenModeFlag.WriteOnly)
    if draw(buf) is False:
        raise OSError("the picture could not be drawn")
    buf.close()
    return bytes(buf.data())


def _render_svg(widget, device) -> bool:
    gen = QSvgGenerator()
    gen.setOutputDevice(device)
    gen.setSize(widget.size())
    gen.setViewBox(widget.rect())
    gen.setTitle("Confusion matrix")
    painter = QPainter(gen)
    widget.render(painter)
    return painter.end()


def _render_pdf(widget, device) -> bool:
    pdf = QPdfWriter(device)
    pdf.setResolution(96)
    painter = QPainter(pdf)
    page = painter.viewport()
    scale = min(page.width() / max(widget.width(), 1), page.height() / max(widget.height(), 1))
    painter.scale(scale, scale)
    widget.render(painter)
    ok = painter.end()
    del pdf  # the PDF is finished when the writer goes away
    return ok
