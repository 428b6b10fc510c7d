"""Tables that fit the terminal's 80 columns, in every language: the columns that may give way
(names, descriptions) are shortened, and a shortened cell ends with '…'."""

from __future__ import annotations

from capcli.render import ui

WIDTH = 80
ELLIPSIS = "…"


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: shortened to end with '…' when longer."""
    text = ui.safe(str(text))
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + ELLIPSIS


def fitted(headers: list[str], rows: list[list], shrink: dict[int, int], width: int = WIDTH,
           indent: int = 0) -> list[str]:
    """The lines of ``rows`` under ``headers`` in aligned columns, at most ``width`` characters;
    ``shrink``: the columns that may give way (index: narrowest width), the first given first."""
    cells = [[ui.safe(str(h)) for h in headers]] + [
        [ui.safe("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    excess = indent + sum(widths) + 2 * (len(widths) - 1) - width
    for index, narrowest in shrink.items():
        if excess <= 0:
            break
        cut = min(excess, max(widths[index] - narrowest, 0))
        widths[index] -= cut
        excess -= cut
    return [" " * indent + "  ".join(clip(cell, w).ljust(w) for cell, w in zip(row, widths)).rstrip()
            for row in cells]


def columns(headers: list[str], rows: list[list], shrink: dict[int, int], empty: str | None = None) -> None:
    """Print ``rows`` as ``fitted`` columns (``empty`` when there are none)."""
    if not rows:
        if empty:
            ui.out(empty)
        return
    for line in fitted(headers, rows, shrink):
        ui.out(line)
