"""The date a news file gives itself: a line near its top that holds a date and nothing else
("Friday, May 21, 2010", "21 May 2010", "2010-05-21"), as wire stories and wiki news open.

Two reports dated on different days are of different times: a figure that changed between them
(a death toll updated, the depth of another aftershock) is no disagreement between sources.
A date inside a sentence is not a dateline; a file without one has no date.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = "|".join(m.capitalize() for m in _MONTHS)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_LINE = re.compile(
    rf"^\s*(?:{_WEEKDAY}(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    rf"|{_WEEKDAY}(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})\s+(?P<year2>\d{{4}})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\s*$")
_LINES = 4  # a title, the dateline: the date sits among the first non-empty lines


def dateline(text: str) -> date | None:
    """The date on a line of its own among the first non-empty lines of `text`, else None."""
    lines = [line for line in text.splitlines()[:12] if line.strip()][:_LINES]
    for line in lines:
        m = _LINE.match(line)
        if m is None:
            continue
        try:
            if m.group("iso"):
                return date.fromisoformat(m.group("iso"))
            month = (m.group("month") or m.group("month2")).lower()
            return date(int(m.group("year") or m.group("year2")), _MONTHS.index(month) + 1,
                        int(m.group("day") or m.group("day2")))
        except ValueError:  # "February 30": not a date
            return None
    return None
