"""Look and feel: the Fusion style over the system's own light/dark palette, and plots that match it.

Qt 6 scales for high-DPI screens by itself; we only keep fractional scale factors as they are (no
rounding), and we re-colour the pyqtgraph plots whenever the system switches between light and dark."""

from __future__ import annotations

from edgeling.gui.qt import QApplication, QGuiApplication, QPalette, Qt, pg

ACCENT = "#2f7ed8"
SERIES = ("#2f7ed8", "#e8743b", "#19a979", "#945ecf", "#ed4a7b", "#13a4b4")
GOOD, WARN, BAD = "#19a979", "#e8a33b", "#d64545"


def configure_high_dpi() -> None:
    """Call before the QApplication exists."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def is_dark(app: QApplication | None = None) -> bool:
    app = app or QApplication.instance()
    try:
        scheme = app.styleHints().colorScheme()
        if scheme != Qt.ColorScheme.Unknown:
            return scheme == Qt.ColorScheme.Dark
    except AttributeError:   # Qt before 6.5
        pass
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def apply(app: QApplication) -> None:
    """Style the app and the plots; follow later light/dark switches of the system."""
    app.setStyle("Fusion")
    _style_plots(app)
    try:
        app.styleHints().colorSchemeChanged.connect(lambda *_: _style_plots(app))
    except AttributeError:
        pass


def _style_plots(app: QApplication) -> None:
    pal = app.palette()
    pg.setConfigOptions(antialias=True,
                        background=pal.color(QPalette.ColorRole.Base),
                        foreground=pal.color(QPalette.ColorRole.Text))


def series_pen(i: int, width: float = 2.0, dashed: bool = False):
    pen = pg.mkPen(SERIES[i % len(SERIES)], width=width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen
