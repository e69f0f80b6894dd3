"""Commands that build, list, mend and describe the store: ingest, files, remove, doctor, prepare, config."""

from __future__ import annotations

import argparse
import json

from kit.cli.common import LLM_OPTIONS, PROGRESS, WAIT, Command, open_kit, options, show_progress
from kit.errors import InputError
from kit.location import is_url, shown
from kit.terminal import say
from kit.text import plural


def ingest(args: argparse.Namespace) -> int:
    from kit.api import Kit

    progress = show_progress(args)
    given = options(args)
    if args.ignore_robots:
        given["web_robots"] = False
    kit = Kit(**given)
    if args.urls is not None or is_url(args.folder or ""):
        if args.rebuild:
            raise InputError("--rebuild drops the whole store; run it with a folder, then ingest the URLs")
        report = kit.ingest_urls(_urls(args), progress=progress, wait=args.wait)
    else:
        report = kit.ingest(args.folder or "seeds", progress=progress, wait=args.wait, rebuild=args.rebuild)
    say(json.dumps(report.to_dict(), indent=2) if args.json else str(report))
    return 0


def _urls(args: argparse.Namespace) -> list[str]:
    """The URLs to fetch: the one given, then those of the --urls file; a folder beside --urls is refused."""
    from pathlib import Path

    from kit.ingest.web import read_url_list

    if args.folder and not is_url(args.folder):
        raise InputError(f"{args.folder}: give either a folder or --urls FILE, not both (run kit ingest twice)")
    return ([args.folder] if args.folder else []) + (read_url_list(Path(args.urls)) if args.urls else [])


def files(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.store.listing import list_files

    listing = list_files(Settings.load(**options(args)))
    say(json.dumps(listing.to_dict(), indent=2, ensure_ascii=False) if args.json else str(listing))
    return 0


def remove(args: argparse.Namespace) -> int:
    removal = open_kit(args).remove(args.path, wait=args.wait)
    if args.json:
        say(json.dumps(removal.to_dict(), indent=2, ensure_ascii=False))
        return 0
    what = f"{shown(args.path)} (saved as {shown(removal.path)})" if is_url(args.path) else shown(removal.path)
    say(f"removed {what}: {plural(len(removal.files), 'file')}, {plural(removal.chunks, 'chunk')}"
        + (f"; source records dropped: {', '.join(shown(s) for s in removal.sources)}" if removal.sources else ""))
    if removal.still_covered_by:
        say(f"note: still on disk under source {shown(removal.still_covered_by)}: the next "
            f"`kit ingest {shown(removal.still_covered_by)}` adds it again")
    return 0


def prepare(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.embeddings import prepare as prepare_model

    graph = prepare_model(Settings.load(**options(args)))
    say(f"embedding model ready: {graph}" if graph else "nothing to prepare for this embedder")
    return 0


def config(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.report.text import config_text

    given = options(args)
    values, origins = Settings.load(**given).public_dump(), Settings.origins(**given)
    about = {name: spec.description or "" for name, spec in Settings.model_fields.items()}
    if args.json:
        say(json.dumps({k: {"value": v, "from": origins[k], "description": about[k]} for k, v in values.items()},
                       indent=2))
    else:
        say(config_text(values, origins, about))
    return 0


def doctor(args: argparse.Namespace) -> int:
    from kit.report.text import checkup_text

    result = open_kit(args).doctor(repair=args.repair, wait=args.wait)
    if args.json:
        say(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0 if result.ok else 1
    say(checkup_text(result.to_dict(), repaired=args.repair))
    return 0 if result.ok else 1


COMMANDS = {
    "ingest": Command("add a folder (or file), or a web page by URL, to the store, or sync it again", ingest, [
        (("folder",), {"nargs": "?", "help": "folder or file of documents, or a web page's http(s) URL "
                       "(default: seeds)"}),
        (("--urls",), {"metavar": "FILE", "help": "fetch the web pages listed in FILE (one URL a line, # comments)"}),
        (("--ignore-robots",), {"action": "store_true", "help": "fetch pages even where robots.txt disallows "
                                "them (for a site whose owner agrees)"}),
        WAIT,
        PROGRESS,
        (("--rebuild",), {"action": "store_true", "help": "drop the store first (to change embedder or chunking)"}),
    ], "kit ingest seeds\n  kit ingest ~/notes --wait 30 --json\n  kit ingest https://example.org/page.html\n"
       "  kit ingest --urls reading-list.txt"),
    "config": Command("show the effective settings and where each comes from", config, LLM_OPTIONS,
                      "kit config\n  KIT_TOP_K=8 kit config --json"),
    "doctor": Command("check the store against its sources (and --repair it)", doctor, [
        (("--repair",), {"action": "store_true", "help": "rebuild a damaged store aside, or sync an incomplete "
                         "one; nothing is deleted"}),
        WAIT,
    ], "kit doctor\n  kit doctor --repair"),
    "files": Command("list the store's sources and files", files),
    "remove": Command("remove a file or folder from the store (not from disk)", remove, [
        (("path",), {"help": "a stored file or folder, or a whole source"}), WAIT,
    ], "kit remove notes/trip.md\n  kit remove https://example.org/page.html --json", aliases=("rm",)),
    "prepare": Command("prepare the embedding model now (done once; `make install` runs it)", prepare),
}
