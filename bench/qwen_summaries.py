"""The summary sentences of `bench/data/claims/multiling_qwen2.jsonl`, written again by the models.

    python -m bench.qwen_summaries qwen2.5-coder-1.5b 4 8 OUT.jsonl   # 5th-8th article of each topic
    python -m bench.qwen_summaries qwen2.5-coder-0.5b 8 10 OUT.jsonl  # 9th-10th

A local GGUF model (`kit models pull NAME` first) writes, greedily, a one-sentence summary and three
highlights "in your own words" of the first 450 words of MultiLing articles; `sentences` splits
each reply the way the set's claims were cut. Labels are not made here: every sentence of the set
was labelled by reading it against its whole article (bench/data/claims/README.md).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from bench import claims_data as cd
from kit.config import Settings
from kit.llm.base import Message
from kit.llm.gguf import GGUFChat
from kit.text import sentences as split

SYSTEM = "You are a news editor. You write short, accurate summaries."
PROMPTS = {
    "xsum": "Article:\n{article}\n\nWrite a one-sentence summary of this article in your own words.",
    "highlights": "Article:\n{article}\n\nWrite three highlights of this article, each one full sentence in your "
                  "own words, one per line.",
}
WORDS = 450
_MARKER = re.compile(r"^\s*(?:[-*•]|\d+[.)]|Highlight \d+:)\s*")


def sentences(reply: str) -> list[str]:
    """The claims of a reply: list markers dropped, a piece under five words or ending in an
    initial ("U. S.") joined to the next."""
    pieces: list[str] = []
    for line in reply.splitlines():
        line = _MARKER.sub("", line).strip()
        for s in split(line) if line else []:
            text = s.text.strip()
            if pieces and (len(pieces[-1].split()) < 5 or re.search(r"\b[A-Z]\.$", pieces[-1])):
                pieces[-1] += " " + text
            else:
                pieces.append(text)
    return [p for p in pieces if len(p.split()) >= 3]


def articles(first: int, last: int) -> list[dict[str, str]]:
    """The first..last articles (by document id) of each MultiLing topic."""
    if cd.DATA is None:
        raise SystemExit("../shared/data not found")
    docs = [json.loads(line) for line in (cd.DATA / "multiling2011_en" / "docs.jsonl").open(encoding="utf-8")]
    by_topic: dict[str, list[dict[str, str]]] = {}
    for d in docs:
        by_topic.setdefault(d["topic_id"], []).append(d)
    return [d for t in sorted(by_topic) for d in sorted(by_topic[t], key=lambda d: d["doc_id"])[first:last]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", help="a GGUF file or a model name of `kit models`")
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    chat = GGUFChat(Settings.load(environ={"KIT_LLM": "gguf", "KIT_GGUF_MODEL": args.model, "KIT_LLM_MAX_TOKENS": "200",
                                           "KIT_LLM_TIMEOUT": "600", "KIT_LLM_THREADS": "2"}))
    with args.out.open("w", encoding="utf-8") as f:
        for doc in articles(args.first, args.last):
            article = " ".join(doc["text"].split()[:WORDS])
            for name, prompt in PROMPTS.items():
                started = time.perf_counter()
                reply = chat.complete([Message("system", SYSTEM), Message("user", prompt.format(article=article))]).text
                f.write(json.dumps({"doc_id": doc["doc_id"], "prompt": name, "reply": reply,
                                    "sentences": sentences(reply),
                                    "seconds": round(time.perf_counter() - started, 1)}) + "\n")


if __name__ == "__main__":
    main()
