"""The `kit` argument parser, built from the command tables of the command modules."""

from __future__ import annotations

import argparse

from kit.cli import answers, history, models, store, topics
from kit.cli.common import Command, Parser

# The order `kit --help` lists the commands in.
ORDER = ["ingest", "search", "ask", "chat", "check", "evaluate", "topics", "summarize", "verify", "history", "config",
         "doctor", "files", "remove", "prepare", "models"]


def commands() -> dict[str, Command]:
    table = {**store.COMMANDS, **answers.COMMANDS, **topics.COMMANDS, **history.COMMANDS, **models.COMMANDS}
    return {name: table[name] for name in ORDER + sorted(set(table) - set(ORDER))}


def build() -> argparse.ArgumentParser:
    parser = Parser(
        prog="kit", description="Cited answers and summaries over a folder of documents.",
        epilog="Run `kit COMMAND --help` for a command's options and examples. Settings: `kit config`.")
    parser.add_argument("--version", action="version", version=_version())
    common = Parser(add_help=False)
    common.add_argument("--store", dest="store_dir", help="store folder (default: the nearest .kit in this folder or "
                        "its parents, as git finds its repository; or KIT_STORE_DIR)")
    common.add_argument("--embedder", help="minilm-int8 | minilm | minilm-torch | openai | hash (default: "
                        "the one the store was built with, else minilm-int8)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    sub = parser.add_subparsers(metavar="COMMAND", dest="command_name")
    for name, command in commands().items():
        cmd = sub.add_parser(name, aliases=list(command.aliases), help=command.help, parents=[common],
                             description=command.help[:1].upper() + command.help[1:] + ".",
                             epilog="examples:\n  " + (command.examples or f"kit {name}"),
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        for flags, settings in command.arguments:
            cmd.add_argument(*flags, **settings)
        cmd.set_defaults(func=command.run)
    return parser


def renamed(used: str | None) -> str | None:
    """The note for a command called by an old name (None for a current name): one release of grace."""
    for name, command in commands().items():
        if used in command.aliases:
            return f"kit: note: `kit {used}` is now `kit {name}`; the old name goes in the next release"
    return None


def _version() -> str:
    from kit.version import __version__

    return f"kit {__version__}"
