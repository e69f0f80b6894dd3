"""The `kit` command: a thin shell over the API that parses arguments and prints.

User mistakes (a `KitError`) print one line and exit with code 1, never a traceback. Every
output goes through `kit.report` (text) or the types' `to_dict()` (JSON), so the terminal,
JSON, HTML and notebooks show the same claims, verdicts and counts.
The API and everything heavy behind it (chromadb, the embedding model) are imported by the
commands that need them, so `kit --help`, `kit --version` and `kit files` start at once.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kit.errors import InputError, KitError, NothingToIngestError
from kit.location import shown
from kit.results import TopicChange
from kit.terminal import say
from kit.types import IngestReport

if TYPE_CHECKING:
    from kit.api import Kit
    from kit.store.listing import Listing

# What every command can be given, then what each adds; examples end each command's help.
EXAMPLES = {
    "ingest": "kit ingest seeds\n  kit ingest ~/notes --wait 30 --json",
    "search": 'kit search "cruise missiles" -k 3\n  kit search "oil revenue" --file "002_*" --section article --json',
    "ask": 'kit ask "How many cruise missiles did Russia launch on Friday?"\n'
           '  kit ask "Who ordered the strikes?" --llm openai --model gpt-4o-mini --json\n'
           '  kit ask "Who ordered the strikes?" --base-url http://127.0.0.1:11434/v1 --model llama3.1',
    "check": 'kit check "Russia fired 18 cruise missiles on Friday."\n'
             '  kit check --from draft.md --file seeds/002_0f7b4c98e858c67a.txt --out check.html',
    "eval": "kit eval tests/data/seeds_qa.jsonl --limit 10",
    "topics": "kit topics\n  kit topics -k 3 --json",
    "summarize": 'kit summarize --out report.html\n'
                 '  kit summarize --topics "ISIS oil revenue" "Kalibr strikes" --out r.md',
    "verify": "kit ask \"Who fired the missiles?\" --json > answer.json && kit verify answer.json",
    "config": "kit config\n  KIT_TOP_K=8 kit config --json",
    "doctor": "kit doctor\n  kit doctor --repair",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option as one `kit: error:` line and exit code 1, like every
    other bad input (argparse's default is a usage block and exit code 2)."""

    def error(self, message: str) -> NoReturn:
        raise InputError(f"{self.prog}: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except InputError as exc:
        say(f"kit: error: {exc}", err=True)
        return 1
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    warnings.showwarning = _warning_line
    try:
        return int(args.func(args) or 0)
    except NothingToIngestError as exc:
        report = exc.report
        if isinstance(report, IngestReport):
            say(json.dumps(report.to_dict(), indent=2) if args.json else str(report))
        say(f"kit: error: {exc}", err=True)
        return 1
    except KitError as exc:
        say(f"kit: error: {exc}", err=True)
        return 1
    except FileNotFoundError as exc:
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


def _positive(text: str) -> int:
    """argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _version() -> str:
    from kit.version import __version__

    return f"kit {__version__}"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kit", description="Cited answers and summaries over a folder of documents.",
        epilog="Run `kit COMMAND --help` for a command's options and examples. Settings: `kit config`.")
    parser.add_argument("--version", action="version", version=_version())
    common = _Parser(add_help=False)
    common.add_argument("--store", dest="store_dir", help="store folder (default: the nearest .kit in this folder or "
                        "its parents, as git finds its repository; or KIT_STORE_DIR)")
    common.add_argument("--embedder", help="minilm-int8 | minilm | minilm-torch | openai | hash (default: "
                        "the one the store was built with, else minilm-int8)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    sub = parser.add_subparsers(metavar="COMMAND")
    _add(sub, "ingest", "add a folder (or file) to the store, or sync it again", _ingest, common, [
        (("folder",), {"nargs": "?", "default": "seeds", "help": "folder or file of documents (default: seeds)"}),
        (("--wait",), {"type": float, "default": 0.0, "help": "seconds to wait if another process is writing"}),
        (("--no-progress",), {"action": "store_true", "help": "no progress bar"}),
        (("--rebuild",), {"action": "store_true", "help": "drop the store first (to change embedder or chunking)"}),
    ])
    filters: list[tuple[tuple[str, ...], dict[str, Any]]] = [
        (("--file",), {"action": "append", "dest": "files", "metavar": "PATH",
                       "help": "only passages of this file: its stored path, its name or a glob (repeatable)"}),
        (("--section",), {"action": "append", "dest": "sections", "choices": ["article", "comments", "sidebar"],
                          "help": "only passages of this part of the page (repeatable)"}),
    ]
    _add(sub, "search", "hybrid search over the ingested chunks", _search, common, [
        (("query",), {"help": "what to look for"}),
        (("-k",), {"type": _positive, "default": None, "help": "number of hits (default 5, KIT_TOP_K)"}),
        *filters,
    ])
    llm_options: list[tuple[tuple[str, ...], dict[str, Any]]] = [
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
    _add(sub, "ask", "answer a question with verified citations", _ask, common, [
        (("question",), {"help": "the question"}),
        (("-k",), {"type": _positive, "default": None, "help": "passages to read (default 5, KIT_TOP_K)"}),
        *filters, *llm_options,
    ])
    _add(sub, "check", "check each sentence of a text against the documents", _check, common, [
        (("text",), {"nargs": "?", "help": "the text to check (or --from FILE)"}),
        (("--from",), {"dest": "from_file", "metavar": "FILE", "help": "read the text to check from this file"}),
        filters[0], (("--out",), {"help": "write the result to this file: .md, .html or .json"}),
    ])
    _add(sub, "eval", "score answers on a QA JSONL file", _eval, common, [
        (("qa_file",), {"help": "JSON lines: question, gold_sources, answers, answerable"}),
        (("-k",), {"type": _positive, "default": None, "help": "passages to read (default 5)"}),
        (("--limit",), {"type": _positive, "default": None, "help": "only the first N questions"}), *llm_options,
    ])
    _add(sub, "topics", "list the topics of the corpus", _topics, common, [
        (("-k",), {"type": _positive, "default": None, "dest": "n_topics",
                   "help": "number of topics (default: chosen from the data)"}),
        *llm_options[:3],
    ])
    _add(sub, "summarize", "write a cited summary per topic", _summarize, common, [
        (("--topics",), {"nargs": "+", "default": ["auto"], "help": "'auto' or topic names to retrieve"}),
        (("--out",), {"default": None, "help": "write the report to this file (default: print)"}),
        (("--format",), {"choices": ["md", "html", "json"], "default": None, "help": "default: from --out suffix"}),
        (("--sentences",), {"type": _positive, "default": 6, "help": "sentences per extractive summary"}),
        *llm_options,
    ])
    _add(sub, "verify", "re-check a saved answer or report against the files as they are now", _verify, common, [
        (("saved",), {"metavar": "FILE.json", "help": "output of `kit ask --json` or `kit summarize --out X.json`"}),
    ])
    _add(sub, "config", "show the effective settings and where each comes from", _config, common, llm_options)
    _add(sub, "doctor", "check the store against its sources (and --repair it)", _doctor, common, [
        (("--repair",), {"action": "store_true", "help": "rebuild a damaged store aside, or sync an incomplete "
                         "one; nothing is deleted"}),
        (("--wait",), {"type": float, "default": 0.0, "help": "seconds to wait if another process is writing"}),
    ])
    _add(sub, "files", "list the store's sources and files", _files, common, [])
    _add(sub, "rm", "remove a file or folder from the store (not from disk)", _rm, common, [
        (("path",), {"help": "a stored file or folder, or a whole source"}),
        (("--wait",), {"type": float, "default": 0.0, "help": "seconds to wait if another process is writing"}),
    ])
    _add(sub, "prepare", "prepare the embedding model now (done once; `make install` runs it)", _prepare,
         common, [])
    return parser


def _add(sub: Any, name: str, help_text: str, func: Callable[[argparse.Namespace], int],
         common: argparse.ArgumentParser, arguments: list[tuple[tuple[str, ...], dict[str, Any]]]) -> None:
    cmd = sub.add_parser(name, help=help_text, parents=[common],
                         description=help_text[:1].upper() + help_text[1:] + ".",
                         epilog="examples:\n  " + EXAMPLES.get(name, f"kit {name}"),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    for flags, options in arguments:
        cmd.add_argument(*flags, **options)
    cmd.set_defaults(func=func)


_OPTION_SETTINGS = ("store_dir", "embedder", "llm", "llm_model", "llm_base_url", "llm_fallback", "show_unsupported")


def _options(args: argparse.Namespace) -> dict[str, Any]:
    """Settings given on the command line (None or False: not given). --model and --base-url
    only mean something to a language model, so they imply --llm openai."""
    options = {name: getattr(args, name, None) or None for name in _OPTION_SETTINGS}
    if options["llm_model"] or options["llm_base_url"]:
        if options["llm"] == "extractive":
            raise InputError("--model and --base-url need a language model; drop --llm extractive or use --llm openai")
        options["llm"] = options["llm"] or "openai"
    return options


def _kit(args: argparse.Namespace) -> Kit:
    from kit.api import Kit

    return Kit(**_options(args))


def _ingest(args: argparse.Namespace) -> int:
    progress = not args.no_progress and not args.json and sys.stderr.isatty()
    report = _kit(args).ingest(args.folder, progress=progress, wait=args.wait, rebuild=args.rebuild)
    say(json.dumps(report.to_dict(), indent=2) if args.json else str(report))
    return 0


def _files(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.store.listing import list_files

    listing = list_files(Settings.load(**_options(args)))
    say(json.dumps(listing.to_dict(), indent=2, ensure_ascii=False) if args.json else format_listing(listing))
    return 0


def format_listing(listing: Listing) -> str:
    kinds = {s.name: s.kind for s in listing.sources}
    lines = [f"store {shown(listing.store)}  generation {listing.generation}  sources {len(listing.sources)}  "
             f"files {len(listing.files)}  chunks {sum(f.chunks for f in listing.files)}"]
    lines += [f"note: {n}" for n in listing.notes]
    for source, files in listing.by_source().items():
        lines.append(f"{shown(source)}{'/' if kinds.get(source) == 'folder' else ''}  ({len(files)} files, "
                     f"{sum(f.chunks for f in files)} chunks)")
        lines += [f"  {shown(f.path)}  {f.chunks} chunks  sha256 {f.sha256[:12]}  {f.to_dict()['ingested']}"
                  for f in files]
    return "\n".join(lines)


def _rm(args: argparse.Namespace) -> int:
    removal = _kit(args).remove(args.path, wait=args.wait)
    if args.json:
        say(json.dumps(removal.to_dict(), indent=2, ensure_ascii=False))
        return 0
    say(f"removed {shown(removal.path)}: {len(removal.files)} files, {removal.chunks} chunks"
          + (f"; source records dropped: {', '.join(shown(s) for s in removal.sources)}" if removal.sources else ""))
    if removal.still_covered_by:
        say(f"note: still on disk under source {shown(removal.still_covered_by)}: the next "
              f"`kit ingest {shown(removal.still_covered_by)}` adds it again")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.embeddings import prepare

    graph = prepare(Settings.load(**_options(args)))
    say(f"embedding model ready: {graph}" if graph else "nothing to prepare for this embedder")
    return 0


def _search(args: argparse.Namespace) -> int:
    from kit.report.text import search_text

    hits = _kit(args).search(args.query, k=args.k, files=args.files, sections=args.sections)
    if args.json:
        say(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
    else:
        say(search_text(hits, args.files, args.sections))
    return 0


def _ask(args: argparse.Namespace) -> int:
    from kit.report.text import answer_text

    answer = _kit(args).ask(args.question, k=args.k, files=args.files, sections=args.sections)
    say(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) if args.json else answer_text(answer))
    return 0


def _check(args: argparse.Namespace) -> int:
    from kit.grounding.check import read_draft
    from kit.report.common import counts_line
    from kit.report.html import check_page
    from kit.report.markdown import check_markdown
    from kit.report.text import check_text

    if (args.text is None) == (args.from_file is None):
        raise InputError('give the text to check or --from FILE, one of them: kit check "..." | --from draft.md')
    text = args.text if args.from_file is None else read_draft(Path(args.from_file))
    fmt = _format_from(args.out) if args.out else "md"  # a bad --out fails before any work
    k = _kit(args)
    result = k.check(text, files=args.files)
    data = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if args.out:
        out = Path(args.out)
        page = check_page(result, links=k.file_links(out)) if fmt == "html" else check_markdown(result)
        out.write_text(data if fmt == "json" else page, encoding="utf-8")
    wrote = f"wrote {args.out}: {len(result.claims)} sentences; {counts_line(list(result.claims), result.failed)}"
    say(data if args.json else wrote if args.out else check_text(result))
    return 0


def _eval(args: argparse.Namespace) -> int:
    from kit.report.text import eval_text

    report = _kit(args).evaluate(args.qa_file, k=args.k, limit=args.limit)
    say(json.dumps(report.to_dict(), indent=2) if args.json else eval_text(report.to_dict()))
    return 0


def _topics(args: argparse.Namespace) -> int:
    from kit.report.text import topic_text

    topics = _kit(args).topics(k=args.n_topics)
    if args.json:
        say(json.dumps([t.to_dict() for t in topics], indent=2, ensure_ascii=False))
    else:
        say("\n".join(topic_text(t) for t in topics))
    return 0


def _summarize(args: argparse.Namespace) -> int:
    from kit.report.html import report_html
    from kit.report.markdown import report_markdown

    fmt = args.format or ("json" if args.json else _format_from(args.out))  # a bad --out fails before any work
    k = _kit(args)
    names = None if args.topics == ["auto"] else args.topics
    summaries = k.summarize(names, max_sentences=args.sentences)
    provenance = k.provenance([c for s in summaries for c in s.citations])
    out = Path(args.out) if args.out else None
    if fmt == "json":
        text = json.dumps({"provenance": provenance.to_dict(), "summaries": [s.to_dict() for s in summaries]},
                          indent=2, ensure_ascii=False)
    elif fmt == "html":
        text = report_html(summaries, provenance, links=k.file_links(out))
    else:
        text = report_markdown(summaries, provenance)
    if out is None:
        say(text)
        return 0
    out.write_text(text, encoding="utf-8")
    claims = sum(len(s.shown) for s in summaries if s.found)
    unsupported = sum(len(s.unsupported) for s in summaries)
    missing = [s.topic.title for s in summaries if not s.found]
    unchecked = [str(s.topic.number) for s in summaries if s.found and not s.shown]
    changed = [str(s.topic.number) for s in summaries if s.topic.change in (TopicChange.NEW, TopicChange.CHANGED)]
    compared = any(s.topic.change is not None for s in summaries)
    say(f"wrote {out}: {len(summaries)} topics, {claims} cited claims shown, {unsupported} not supported"
          + (f"; not in the documents: {', '.join(missing)}" if missing else "")
          + (f"; no checked claim for topic {', '.join(unchecked)} (see its notes)" if unchecked else "")
          + (f"; changed since the last run: {', '.join(changed) or 'none'}" if compared else ""))
    return 0


def _format_from(out: str | None) -> str:
    """The report format an --out file name asks for; one line for a suffix kit does not write."""
    suffix = Path(out).suffix.lower() if out else ".md"
    formats = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}
    if suffix not in formats:
        raise InputError(f"--out {out}: kit writes reports as .md, .html or .json; name the file with one of "
                         "these suffixes (or give --format)")
    return formats[suffix]


def _verify(args: argparse.Namespace) -> int:
    from kit.grounding.saved import load_saved
    from kit.grounding.support import Judge
    from kit.grounding.verify import confined_reader, sources_root, verify_saved

    data = load_saved(Path(args.saved))
    root = sources_root(data, args.saved)
    from kit.config import Settings
    from kit.embeddings import get_embedder

    settings = Settings.load(embedder=getattr(args, "embedder", None) or None)
    reader = confined_reader(root, settings.fallback_encoding, settings.max_bytes)
    result = verify_saved(data, reader, Judge(get_embedder(settings)))
    if args.json:
        say(json.dumps(result.to_dict(), indent=2))
    else:
        state = "all checks pass" if result.ok else f"{len(result.problems)} problems"
        say(f"{args.saved}: {result.claims} claims, {result.citations} citations re-checked: {state}")
        say("\n".join(f"  {p}" for p in result.problems))
    return 0 if result.ok else 1


def _config(args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.report.text import config_text

    options = _options(args)
    values, origins = Settings.load(**options).public_dump(), Settings.origins(**options)
    about = {name: field.description or "" for name, field in Settings.model_fields.items()}
    if args.json:
        say(json.dumps({k: {"value": v, "from": origins[k], "description": about[k]} for k, v in values.items()},
                       indent=2))
    else:
        say(config_text(values, origins, about))
    return 0


def _doctor(args: argparse.Namespace) -> int:
    result = _kit(args).doctor(repair=args.repair, wait=args.wait)
    if args.json:
        say(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        say(f"store is {result.verdict.value}" + ("; nothing to repair" if args.repair and result.ok
                                                  and not result.actions else ""))
        for key, value in result.facts.items():
            say(f"  {key}: {value}")
        for source, counts in result.sources.items():
            say(f"  source {shown(source)}: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
        lines = [f"  problem: {shown(p.text)}" for p in result.problems] + [
            f"  fixed: {shown(p.text)}" for p in result.fixed] + [f"  done: {shown(a)}" for a in result.actions]
        for line in lines:
            say(line)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
