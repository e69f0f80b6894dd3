"""Commands over the record of runs: history (list, show) and chat, whose turns it records."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from kit.cli.common import FILTERS, LLM_OPTIONS, Command, open_kit, options, positive
from kit.errors import InputError, KitError
from kit.terminal import say
from kit.text import plural

if TYPE_CHECKING:
    from kit.answer.followup import Chat


def history(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.location import locate
    from kit.report.text import history_text, run_text
    from kit.store.history import History, RunKind

    settings = Settings.load(**options(args))  # no Kit: listing needs neither numpy nor the store (≈ 0.4 s)
    found = History(locate(settings.store_dir).dir)
    if args.action is None and args.id is not None:
        raise InputError(f"kit history {args.id}: to see a run, say kit history show {args.id}")
    if args.action == "show":
        if args.id is None:
            raise InputError("kit history show: give the run's id, e.g. kit history show 3 (`kit history` lists them)")
        run = found.run(args.id)
        say(json.dumps(run.result, indent=2, ensure_ascii=False) if args.json else run_text(run))
        return 0
    runs = found.runs(args.n, RunKind(args.kind) if args.kind else None, args.grep)
    if args.json:
        say(json.dumps([r.to_dict() for r in runs], indent=2, ensure_ascii=False))
    else:
        say(history_text(runs, str(found.path), settings.history))
    return 0


def chat(args: argparse.Namespace) -> int:
    """A question per line; `exit`, Ctrl-D or Ctrl-C ends. A bad line costs one line, not the session."""
    k = open_kit(args)
    k.store.require()  # no store: say so before the first question
    session = k.chat(k=args.k, files=args.files, sections=args.sections)
    try:  # Ctrl-C at any point of the session (even right after the greeting) ends it cleanly
        say(f"kit chat (session {session.session}): ask about the documents, a follow-up may say \"it\" or "
            "\"they\"; exit or Ctrl-D ends", err=True)
        converse(session, "kit> " if sys.stdin.isatty() else "", args.json)
    except KeyboardInterrupt:
        pass
    turns = plural(len(session.turns), "turn")
    say(f"kit chat: {turns}, recorded in the history as session {session.session}" if k.settings.history
        else f"kit chat: {turns} (history off)", err=True)
    return 0


def converse(session: Chat, prompt: str, as_json: bool) -> None:
    """Read a question per line and print each answer, until `exit` or the end of the input."""
    from kit.report.text import answer_text

    while True:
        try:
            line = input(prompt).strip()
        except EOFError:
            return
        if line in ("exit", "quit"):
            return
        if not line:
            say("kit: empty line ignored: type a question, or exit to end", err=True)
            continue
        try:
            answer = session.ask(line)
        except KitError as exc:
            say(f"kit: error: {exc}", err=True)
            continue
        say(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else answer_text(answer) + "\n")


COMMANDS = {
    "history": Command("list the recorded ask, check and summarize runs, or show one", history, [
        (("action",), {"nargs": "?", "choices": ["show"], "help": "show: print run ID as its command did"}),
        (("id",), {"nargs": "?", "type": positive, "metavar": "ID", "help": "the run to show"}),
        (("-n",), {"type": positive, "default": 20, "help": "the newest N runs (default 20)"}),
        (("--kind",), {"choices": ["ask", "check", "summarize"], "help": "only runs of this command"}),
        (("--grep",), {"metavar": "TEXT", "help": "only runs whose question, text or topics hold TEXT (any case)"}),
    ], 'kit history -n 5\n  kit history --kind ask --grep missiles --json\n  kit history show 3\n'
       '  kit verify --history'),
    "chat": Command("ask questions in a conversation: follow-ups read with the turns before them", chat, [
        (("-k",), {"type": positive, "default": None, "help": "passages to read (default 5, KIT_TOP_K)"}),
        *FILTERS, *LLM_OPTIONS,
    ], "kit chat\n  kit chat --llm openai --model gpt-4o-mini\n  printf 'Who fired the missiles?\\nFrom where?\\n' | "
       "kit chat --json"),
}
