"""What kit writes to a terminal: text with its control characters made inert, in one place.

File names, quotes, claims, model replies and the values named in error messages come from
outside kit, and may hold ANSI escape sequences, carriage returns or other C0 and C1 controls
that would recolour, overwrite or hide what a terminal shows (`\\x1b[2K\\r` erases a line).
Every line the CLI prints, and the progress and model notices on stderr, go through `safe`:
escape sequences and C0 controls are removed (newline and tab stay); DEL, C1 controls and
unpaired surrogates become a `\\u009b`-style escape instead, because in JSON output they can
only sit inside strings, where that escape keeps the JSON valid and its data the same (JSON
itself already escapes every C0 control). This module does not touch bidi overrides (the
renderer shows those as `\\u202e`), wrap or colour text.
"""

from __future__ import annotations

import re
import sys

# A whole CSI sequence (colours, cursor moves, erases), an OSC one (window titles, hyperlinks)
# ended by BEL or ST, or any other two-character escape: removed with its parameters, so no
# "[31m" debris is left behind.
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_C0 = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPED = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def safe(text: str) -> str:
    """`text` as a terminal may show it: escape sequences and C0 controls but newline and tab
    removed; DEL, C1 controls and unpaired surrogates written as `\\u009b`."""
    if text.isprintable() or not _needs_work(text):
        return text
    text = _C0.sub("", _SEQUENCE.sub("", text))
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _needs_work(text: str) -> bool:
    return bool(_C0.search(text) or _ESCAPED.search(text) or "\x1b" in text)


def say(text: str = "", err: bool = False) -> None:
    """Print one piece of output (stdout, or stderr with `err`) through `safe`."""
    print(safe(text), file=sys.stderr if err else sys.stdout, flush=err)
