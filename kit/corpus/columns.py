"""Two-column PDF pages whose content stream interleaves the columns, read column by column.

Most writers draw a column before the next (LaTeX, word processors, reportlab's frames), and
PDFium's text of the page is then in reading order. Some draw line by line across the page, so
the text alternates between the columns ("The left column starts The right column is"). Such a
page is recognised from its text rectangles (PDFium's runs of text on one line): a gutter near the
middle that few runs cross, and runs that switch side many times in stream order. It is then read
in horizontal bands: each run that crosses the gutter (a title, a footnote across the page) whole,
and between them the left column, then the right. This module does not find three or more columns,
nor reorder a page whose stream order already reads column by column.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

Rect = tuple[float, float, float, float]  # left, bottom, right, top, in PDF points
# A run of text switching side more than this share of the runs in the columns means interleaving
# (a page written column by column switches once per band).
_SWITCHES = 0.25
_MIN_RUNS = 6  # fewer runs on a page: nothing to reorder
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\x02\ufffe][ \t]*\r?\n(?=\w)")


def column_text(textpage: Any, width: float, height: float) -> str | None:
    """The page's text read column by column when its stream interleaves two columns; else None."""
    rects: list[Rect] = [tuple(textpage.get_rect(i)) for i in range(textpage.count_rects())]
    # First the cheap test, against the page's middle: most pages are not interleaved and stop here.
    if len(rects) < _MIN_RUNS or not _interleaved(rects, width / 2):
        return None
    gutter = _gutter(rects, width)
    if gutter is None or not _interleaved(rects, gutter):
        return None
    pieces: list[str] = []
    top = height + 1
    for r in sorted((r for r in rects if r[0] < gutter < r[2]), key=lambda r: -r[3]):
        pieces += _band(textpage, gutter, width, r[3], top)
        pieces.append(textpage.get_text_bounded(0, r[1], width, r[3]))
        top = r[1]
    pieces += _band(textpage, gutter, width, -1, top)
    # Text read by bounds keeps a line-end hyphen (as "-" or "\x02") and the line break; they become
    # the mark PDFium puts there when it reads a whole page (U+FFFE), so both are joined alike.
    return _LINE_END_HYPHEN.sub("\ufffe", "\n".join(p.strip() for p in pieces if p.strip()))


def _gutter(rects: list[Rect], width: float) -> float | None:
    """The middle of the widest vertical strip in the middle 40% of the page that at most a fifth of
    the runs cross, with at least three runs on each side; None when there is none."""
    best: tuple[float, float] | None = None
    run_start: float | None = None
    x = width * 0.3
    while x <= width * 0.7:
        crossing = sum(r[0] < x < r[2] for r in rects)
        left, right = sum(r[2] <= x for r in rects), sum(r[0] >= x for r in rects)
        free = crossing <= len(rects) / 5 and left >= 3 and right >= 3
        if free and run_start is None:
            run_start = x
        if run_start is not None and (not free or x + 2 > width * 0.7):
            if best is None or x - run_start > best[1] - best[0]:
                best = (run_start, x)
            run_start = None
        x += 2
    return None if best is None else (best[0] + best[1]) / 2


def _interleaved(rects: list[Rect], gutter: float) -> bool:
    sides = [r[2] <= gutter for r in rects if not r[0] < gutter < r[2]]
    switches = sum(a != b for a, b in pairwise(sides))
    return switches > max(2, _SWITCHES * len(sides))


def _band(textpage: Any, gutter: float, width: float, bottom: float, top: float) -> list[str]:
    if top <= bottom:
        return []
    return [textpage.get_text_bounded(0, bottom, gutter, top), textpage.get_text_bounded(gutter, bottom, width, top)]
