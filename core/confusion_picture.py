"""The confusion matrix as a picture for a paper or a report: an SVG file, vector, written without Qt.

One row per true class, one column per predicted class. Each cell shows its count and, underneath, the
share of that row (what fraction of the true class ended up there), and is shaded by that share on a white
to dark-blue scale, which reads in print and in greyscale. Row shares make classes with different numbers
of samples comparable; a row with no samples stays white. Text is real text (any script the reader's
fonts cover, e.g. "zurück"), so journals' tools can edit it; there is no title inside the picture (a paper
puts the caption under it), only an SVG ``<title>`` for screen readers.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

_FONT = "Helvetica, Arial, 'DejaVu Sans', sans-serif"
_CELL = 56          # px, a cell's side
_LABEL_SIZE = 13    # px, class names
_AXIS_SIZE = 14     # px, "True class" / "Predicted class"
_LIGHT = (247, 251, 255)
_DARK = (8, 48, 107)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of how wide ``text`` is drawn at font ``size`` (no font metrics here)."""
    wide = sum(1 for ch in text if ord(ch) > 0x2E7F)   # CJK and similar are about one em wide
    return (0.58 * (len(text) - wide) + 1.0 * wide) * size


def cell_shade(share: float) -> tuple[str, str]:
    """(fill colour, text colour) for a cell holding ``share`` of its row."""
    share = min(max(share, 0.0), 1.0)
    rgb = [round(lo + (hi - lo) * share) for lo, hi in zip(_LIGHT, _DARK)]
    return "#" + "".join(f"{v:02x}" for v in rgb), ("#ffffff" if share > 0.5 else "#1a1a1a")


def _fmt_share(share: float) -> str:
    """Whole percents when they are whole, else one decimal: 1/8 and 5/8 of a row said "12%" and "62%" (rounded
    half to even), and the row added up to 99% in the speech walk's picture for a paper."""
    pct = 100 * share
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 0.05 else f"{pct:.1f}%"


def confusion_svg(matrix: list[list[int]], names: list[str], title: str = "Confusion matrix") -> str:
    """The SVG text of a confusion matrix; ``matrix[i][j]`` = samples of true class i predicted as j."""
    n = len(names)
    if n == 0 or len(matrix) != n or any(len(row) != n for row in matrix):
        raise ValueError("the confusion matrix must be square with one row and one column per class name")
    names = [str(name) for name in names]
    longest = max(_text_width(name, _LABEL_SIZE) for name in names)
    slanted = longest > _CELL - 8    # column names at 45 degrees when they do not fit under a cell
    left = 12 + _AXIS_SIZE + 10 + longest + 10
    top = 16
    bottom = top + n * _CELL
    label_height = longest * 0.71 + _LABEL_SIZE if slanted else _LABEL_SIZE + 4
    width = left + n * _CELL + 16
    height = bottom + 10 + label_height + 10 + _AXIS_SIZE + 12
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{_FONT}">',
           f"<title>{escape(title)}</title>",
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    for i, row in enumerate(matrix):
        total = sum(int(v) for v in row)
        for j, v in enumerate(row):
            count = int(v)
            share = count / total if total else 0.0
            fill, ink = cell_shade(share)
            bold = ' font-weight="bold"' if i == j else ""
            x, y = left + j * _CELL, top + i * _CELL
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{_CELL}" height="{_CELL}" fill="{fill}" '
                       f'stroke="#c8c8c8" stroke-width="0.5"/>')
            cx = x + _CELL / 2
            out.append(f'<text x="{cx:.1f}" y="{y + _CELL / 2 - 1:.1f}" font-size="15" text-anchor="middle" '
                       f'fill="{ink}"{bold}>{count}</text>')
            if total:
                out.append(f'<text x="{cx:.1f}" y="{y + _CELL / 2 + 14:.1f}" font-size="10" '
                           f'text-anchor="middle" fill="{ink}">{_fmt_share(share)}</text>')
    out.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{n * _CELL}" height="{n * _CELL}" fill="none" '
               'stroke="#505050" stroke-width="1"/>')
    for k, name in enumerate(names):
        label = escape(name)
        y = top + k * _CELL + _CELL / 2 + _LABEL_SIZE * 0.35
        out.append(f'<text x="{left - 8:.1f}" y="{y:.1f}" font-size="{_LABEL_SIZE}" text-anchor="end">'
                   f"{label}</text>")
        x = left + k * _CELL + _CELL / 2
        if slanted:   # hangs down to the left of its column, ending under the column's middle
            ax, ay = x + 4, bottom + 12
            out.append(f'<text x="{ax:.1f}" y="{ay:.1f}" font-size="{_LABEL_SIZE}" text-anchor="end" '
                       f'transform="rotate(-45 {ax:.1f} {ay:.1f})">{label}</text>')
        else:
            out.append(f'<text x="{x:.1f}" y="{bottom + 8 + _LABEL_SIZE:.1f}" font-size="{_LABEL_SIZE}" '
                       f'text-anchor="middle">{label}</text>')
    mid_x, mid_y = left + n * _CELL / 2, top + n * _CELL / 2
    out.append(f'<text x="{mid_x:.1f}" y="{bottom + 10 + label_height + 10 + _AXIS_SIZE:.1f}" '
               f'font-size="{_AXIS_SIZE}" text-anchor="middle">Predicted class</text>')
    axis_x = 12 + _AXIS_SIZE
    out.append(f'<text x="{axis_x:.1f}" y="{mid_y:.1f}" font-size="{_AXIS_SIZE}" text-anchor="middle" '
               f'transform="rotate(-90 {axis_x:.1f} {mid_y:.1f})">True class</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
