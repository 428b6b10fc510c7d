"""Tables that fit the terminal's 80 columns, in every language: the columns that may give way
(names, descriptions) are shortened, and a shortened cell ends with '…'."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from capcli.render import ui

WIDTH = 80
ELLIPSIS = "…"


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: shortened to end with '…' when longer."""
    text = ui.safe(str(text))
    return text if len(text) <= width else _shortened(text, width)


def _shortened(text: str, width: int) -> str:
    """``text`` (safe already, longer than ``width``) shortened to end with '…' within ``width``."""
    return text[: max(width - 1, 0)].rstrip() + ELLIPSIS


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


GAP = 2  # ui.align's space between columns


def fitted_widths(cells: list[list[str]], narrow: dict[int, int], width: int = WIDTH, indent: int = 0) -> list[int]:
    """The widths of ``cells``' columns (headers first), the columns of ``narrow`` (index →
    narrowest width) narrowed, the one most above its narrowest first, until a line fits ``width``."""
    return narrowed_widths([max(len(row[i]) for row in cells) for i in range(len(cells[0]))], cells[0], narrow,
                           width, indent)


def narrowed_widths(widths: list[int], headers: list[str], narrow: dict[int, int], width: int = WIDTH,
                    indent: int = 0) -> list[int]:
    """``fitted_widths`` from the columns' widest cells (``widths``) and their ``headers``."""
    widths = list(widths)
    while indent + sum(widths) + GAP * (len(widths) - 1) > width:
        candidates = [i for i in narrow if widths[i] > max(narrow[i], len(headers[i]))]
        if not candidates:
            break
        widths[max(candidates, key=lambda i: widths[i] - narrow[i])] -= 1  # the most above its narrowest
    return widths


def fitted_row(row: list[str], widths: list[int], shrink: dict[int, int], wrap: dict[int, int]) -> list[list[str]]:
    """One row as the rows of cells it takes: a cell of ``shrink`` (a name) cut with '…', a cell
    of ``wrap`` (free text) going on at the next line, at spaces, so that nothing of it is lost."""
    row = [clip(cell, widths[i]) if i in shrink else cell for i, cell in enumerate(row)]
    if wrap:
        import textwrap  # only for the screens that wrap a free text (not `due`: its start-up)
    pieces = {i: textwrap.wrap(row[i], widths[i], break_on_hyphens=False) or [""] for i in wrap}
    return [[(pieces[i][line] if line < len(pieces[i]) else "") if i in pieces else (cell if line == 0 else "")
             for i, cell in enumerate(row)] for line in range(max((len(p) for p in pieces.values()), default=1))]


def cells(headers: list[str], rows: list[list]) -> list[list[str]]:
    return [[ui.safe(str(h)) for h in headers]] + [[ui.safe("" if v is None else str(v)) for v in row]
                                                   for row in rows]


def wrapped(headers: list[str], rows: list[list], shrink: dict[int, int], wrap: dict[int, int] | None = None,
        width: int = WIDTH, indent: int = 0) -> list[list[str]]:
    """Rows (headers first) whose aligned lines fit ``width`` (``fitted_widths``, ``fitted_row``): a
    name of ``shrink`` cut with '…', a free text of ``wrap`` going on at the next lines."""
    wrap = wrap or {}
    table = cells(headers, rows)
    widths = fitted_widths(table, {**shrink, **wrap}, width, indent)
    return [piece for row in table for piece in fitted_row(row, widths, shrink, wrap)]


def wrapped_columns(headers: list[str], rows: list[list], shrink: dict[int, int], wrap: dict[int, int] | None = None,
                    empty: str | None = None, indent: int = 0) -> None:
    """``ui.columns``, fitted to ``WIDTH``: the cells of ``shrink`` cut, those of ``wrap`` wrapped."""
    if not rows:
        if empty:
            ui.out(empty)
        return
    for line in ui.align(wrapped(headers, rows, shrink, wrap, indent=indent)):
        ui.out(" " * indent + line)


def streamed(headers: list[str], pieces: Iterable[list[list[str]]], shrink: dict[int, int],
             width: int = WIDTH) -> Iterator[str]:
    """The text ``wrapped_columns`` prints (no wrapped column), in pieces of lines, for rows too
    many to hold in memory: ``pieces`` gives them a piece at a time, column by column (a list of
    cells, made ``ui.safe``, for each column). They are read once, measured and spooled to a
    temporary file (deleted at once), then printed from it with the widths of the whole table."""
    import marshal
    import tempfile

    head = [ui.safe(str(h)) for h in headers]
    longest = [len(h) for h in head]
    seen: dict[int, set[int]] = {i: set() for i in shrink}
    with tempfile.TemporaryFile() as spool:
        for piece in pieces:
            for i, column in enumerate(piece):
                if i in seen:
                    lengths = set(map(len, column))
                    longest[i] = max(longest[i], *lengths)
                    seen[i] |= lengths
                else:
                    longest[i] = max(longest[i], *map(len, column))
            data = marshal.dumps(piece)
            spool.write(len(data).to_bytes(8, "little") + data)
        if not spool.tell():
            return

        def spooled() -> Iterator[list[list[str]]]:
            spool.seek(0)
            while size := spool.read(8):
                yield marshal.loads(spool.read(int.from_bytes(size, "little")))

        widths = narrowed_widths(longest, head, shrink, width)
        cut = {i: widths[i] for i in shrink if widths[i] < longest[i]}
        final = list(widths)  # ui.align's widths: those of the cells once cut, shorter when
        lacking = [i for i in cut if widths[i] not in seen[i] and len(head[i]) < widths[i]]  # none fills it
        if lacking:
            for i in lacking:
                final[i] = len(head[i])
            for piece in spooled():
                for i in lacking:
                    final[i] = max(final[i], *(len(clip(cell, widths[i])) for cell in piece[i]))
                lacking = [i for i in lacking if final[i] < widths[i]]
                if not lacking:
                    break
        for piece in itertools.chain([[[h] for h in head]], spooled()):
            for i, column in enumerate(piece):
                piece[i] = _laid(column, cut.get(i), final[i] if i < len(piece) - 1 else 0)
            text = "\n".join(map("  ".join, zip(*piece)))
            last = piece[-1]  # unpadded: a line ends with a blank only if its last cell is '' or ends
            if "" in last or any(map(str.endswith, last, itertools.repeat(" "))):  # with ' ' (cells are safe)
                text = "\n".join(map(str.rstrip, text.split("\n")))
            yield text


def _laid(cells: list[str], cut: int | None, width: int) -> list[str]:
    """``cells`` (already safe) clipped to ``cut`` (``clip``; None: never too long) and padded
    to ``width``; a column whose cells repeat (codes, advisers, dates) makes each value once."""
    def laid(cell: str) -> str:
        if cut is not None and len(cell) > cut:
            cell = _shortened(cell, cut)
        return cell.ljust(width)

    if cut is None and not width:
        return cells
    sample = cells[:64]  # tells which columns repeat
    if 2 * len(set(sample)) < len(sample) and 2 * len(distinct := set(cells)) < len(cells):
        made = {cell: laid(cell) for cell in distinct}
        return list(map(made.__getitem__, cells))
    if cut is not None:
        cells = [cell if len(cell) <= cut else _shortened(cell, cut) for cell in cells]
    return list(map(str.ljust, cells, itertools.repeat(width))) if width else cells


def paged(headers: list[str], pieces: Iterable[list[list[str]]], shrink: dict[int, int]) -> Iterator[str]:
    """``streamed`` text whose widths are those of each piece of ``pieces`` (a terminal's pages:
    the first lines show at once); the headers only above the first page."""
    first = True
    for piece in pieces:
        text = "\n".join(streamed(headers, [piece], shrink))
        yield text if first else text.partition("\n")[2]
        first = False


def narrowed(rows: list[list[str]], *shrink: tuple[int, ...], width: int = WIDTH - 2, least: int = 10) -> list[str]:
    """``rows`` as aligned lines of at most ``width`` characters. When they would be longer, columns
    are narrowed: those of the first group of ``shrink`` first (the widest of them, one character
    at a time, never under ``least``), then the next group's; a cell cut ends with '…'."""
    if not rows:
        return []
    rows = [[ui.safe(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    over = sum(widths) + 2 * (len(widths) - 1) - width
    for group in shrink:
        while over > 0:
            i = max((i for i in group if i < len(widths) and widths[i] > least), key=lambda i: widths[i],
                    default=None)
            if i is None:
                break
            widths[i] -= 1
            over -= 1
    return ["  ".join((cell if len(cell) <= w else clip(cell, w)).ljust(w) for cell, w in zip(row, widths)).rstrip()
            for row in rows]  # (the cells are safe: only those too long need clip)
