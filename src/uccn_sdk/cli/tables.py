"""Plain aligned tables. Rich's Table takes ~1 ms a row to lay out; a directory has hundreds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

if TYPE_CHECKING:
    from rich.console import Console

_GAP = "  "
_MIN_WIDTH = 6


def print_table(
    console: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    """Print a title, a header and left-aligned columns; on a terminal, shrink the widest to fit."""
    widths = [
        max([cell_len(h), *(cell_len(row[i]) for row in rows)]) for i, h in enumerate(headers)
    ]
    room = console.width - cell_len(_GAP) * (len(headers) - 1)
    while console.is_terminal and sum(widths) > room and max(widths) > _MIN_WIDTH:
        widths[widths.index(max(widths))] -= 1
    console.print(title, style="bold", markup=False, highlight=False)
    lines = [_line(headers, widths), _GAP.join("─" * w for w in widths)]
    lines += [_line(row, widths) for row in rows]
    console.print("\n".join(lines), markup=False, highlight=False, crop=False, soft_wrap=True)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return _GAP.join(_fit(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _fit(cell: str, width: int) -> str:
    if cell_len(cell) <= width:
        return set_cell_size(cell, width)
    return set_cell_size(cell, width - 1) + "…"
