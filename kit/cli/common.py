"""What every command shares: the parser that reports a bad option as one line, the option lists
several commands take, and the Kit a command's settings open."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kit.errors import InputError

if TYPE_CHECKING:
    from kit.api import Kit

Argument = tuple[tuple[str, ...], dict[str, Any]]


@dataclass(frozen=True)
class Command:
    """One `kit` command: its help line, what runs it, its arguments and its help examples; `aliases`
    are old names kept working for one release, each printing a note that names the new one."""

    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: list[Argument] = field(default_factory=list)
    examples: str = ""
    aliases: tuple[str, ...] = ()


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad option as one `kit: error:` line and exit code 1, like every
    other bad input (argparse's default is a usage block and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{self.prog}: {message}")


def positive(text: str) -> int:
    """argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


WAIT: Argument = (("--wait",), {"type": float, "default": 0.0,
                                "help": "seconds to wait if another process is writing"})
FILTERS: list[Argument] = [
    (("--file",), {"action": "append", "dest": "files", "metavar": "PATH",
                   "help": "only passages of this file: its stored path, its name or a glob (repeatable)"}),
    (("--section",), {"action": "append", "dest": "sections", "choices": ["article", "comments", "sidebar"],
                      "help": "only passages of this part of the page (repeatable)"}),
]
LLM_OPTIONS: list[Argument] = [
    (("--llm",), {"choices": ["extractive", "openai", "gguf"],
                  "help": "who writes the text: 'extractive' quotes the sources, no model (default, offline); "
                          "'openai' any OpenAI-compatible chat server; 'gguf' a GGUF model file run in "
                          "process (KIT_GGUF_MODEL, default the bundled SmolLM2 when installed)"}),
    (("--model",), {"dest": "llm_model", "help": "chat model (implies --llm openai)"}),
    (("--base-url",), {"dest": "llm_base_url",
                       "help": "OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (implies --llm openai)"}),
    (("--fallback",), {"action": "store_true", "dest": "llm_fallback",
                       "help": "if the model fails, answer extractively with a note instead of exit 1"}),
    (("--show-unsupported",), {"action": "store_true", "dest": "show_unsupported",
                               "help": "show claims the sources do not support inline, flagged"}),
]
_OPTION_SETTINGS = ("store_dir", "embedder", "llm", "llm_model", "llm_base_url", "llm_fallback", "show_unsupported")


def options(args: argparse.Namespace) -> dict[str, Any]:
    """Settings given on the command line (None or False: not given). --model and --base-url
    only mean something to a language model, so they imply --llm openai."""
    given = {name: getattr(args, name, None) or None for name in _OPTION_SETTINGS}
    if given["llm_model"] or given["llm_base_url"]:
        if given["llm"] == "extractive":
            raise InputError("--model and --base-url need a language model; drop --llm extractive or use --llm openai")
        given["llm"] = given["llm"] or "openai"
    return given


PROGRESS: Argument = (("--no-progress",), {"action": "store_true", "help": "no progress bar"})


def show_progress(args: argparse.Namespace) -> bool:
    """A progress bar on stderr only for a person watching: stderr a terminal, no --json, no --no-progress."""
    return not args.no_progress and not getattr(args, "json", False) and sys.stderr.isatty()


def open_kit(args: argparse.Namespace) -> Kit:
    from kit.api import Kit

    return Kit(**options(args))


def format_from(out: str | None, given: str | None = None) -> str:
    """The report format: `given` (--format), else the one an --out file name asks for (Markdown
    without one); one line for a suffix kit cannot use, or an --out it could not write after the
    work (a folder, or a file in a folder that does not exist)."""
    from kit.report.common import format_from as from_suffix

    if out:
        path = Path(out)
        if path.is_dir():
            raise InputError(f"--out {out} is a folder; give it a file name, e.g. {path / 'report.md'}")
        if not path.parent.is_dir():
            raise InputError(f"--out {out}: the folder {path.parent} does not exist; create it or give a path "
                             "in an existing folder")
    return given or (from_suffix(out, "--out") if out else "md")
