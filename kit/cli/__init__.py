"""The `kit` command: a thin shell over the API that parses arguments and prints.

User mistakes (a `KitError`) print one line and exit with code 1, never a traceback. Every
output goes through `kit.report` (text) or the types' `to_dict()` (JSON), so the terminal,
JSON, HTML and notebooks show the same claims, verdicts and counts.
The API and everything heavy behind it (chromadb, the embedding model) are imported by the
commands that need them, so `kit --help`, `kit --version` and `kit files` start at once.
Each command lives in the module of its kind (store, answers, topics) as an entry of its
`COMMANDS` table; `parser` builds the argument parser from those tables.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from kit.errors import InputError, KitError, NothingToIngestError
from kit.terminal import say
from kit.types import IngestReport


def main(argv: Sequence[str] | None = None) -> int:
    from kit.cli.parser import build, renamed

    parser = build()
    try:
        args = parser.parse_args(argv)
    except InputError as exc:
        say(f"kit: error: {exc}", err=True)
        return 1
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    note = renamed(getattr(args, "command_name", None))
    if note:
        say(note, err=True)
    warnings.showwarning = _warning_line
    try:
        return int(args.func(args) or 0)
    except NothingToIngestError as exc:
        report = exc.report
        if isinstance(report, IngestReport):
            say(json.dumps(report.to_dict(), indent=2) if args.json else str(report))
        say(f"kit: error: {exc}", err=True)
        return 1
    except (KitError, FileNotFoundError) as exc:
        say(f"kit: error: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        say("kit: interrupted", err=True)
        return 130
    except BrokenPipeError:  # output piped into `head` and cut off: not an error of ours
        sys.stderr.close()
        return 0
    except OSError as exc:  # the OS refused a file kit needed (full disk, permissions): one line, no traceback
        where = f": {exc.filename}" if exc.filename else ""
        say(f"kit: error: {exc.strerror or exc}{where}", err=True)
        return 1


def _warning_line(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    say(f"kit: warning: {message}", err=True)
