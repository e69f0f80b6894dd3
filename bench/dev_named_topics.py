"""Dev data for named topics: which retrieved passages a named topic may summarise.

    python -m bench.dev_named_topics [--work /tmp/kit-ml]

Two corpora, each in its own store: the 100 MultiLing 2011 articles (10 stories), each story
named as a reader might type it ("Haiti earthquake", "Tour de France"); and the 16 SQuAD 2.0
dev-half articles, one file each, named by their titles ("Steam engine", "Force", "Yuan
dynasty": articles that share words such as force, war and empire). Five names no article of
either is about ("Mars rover landing") go to both. Each name retrieves 12 passages, as
`kit summarize --topics NAME` does; a passage is on topic when its article is the named one.
For each threshold on the share of the name's key terms (idf-weighted) in the passage, the
tables give precision and recall of the passages kept, and how many passages of the absent
names are kept (each an off-topic sentence waiting to happen). `kit.topics.summarize.ON_TOPIC`
is the smallest share past which a higher one keeps no fewer passages of absent names.

A name is in the documents when some retrieved passage keeps that share and, with MiniLM, a
sentence of those passages is near the name in meaning (`kit.topics.named`); the last tables
count names found, present and absent. `bench/data/named_topics.json` holds names written blind
by separate LLM runs that read only the corpora: a dev half, which chose the thresholds, and a
test half never used to choose (two or three names per story, two per SQuAD article for a part it
covers at length, 20-25 absent names per corpus sharing words with it, e.g. "Warsaw Pact
alliance", "Chinese yuan exchange rate").
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import kit
from bench.eval_topics import DATA, WORK, open_multiling
from kit.api import Kit
from kit.text import key_term_coverage, keywords
from kit.topics.cluster import named_topic
from kit.topics.named import MENTIONS, ON_TOPIC, SAYS_IT, about

NAMES_FILE = Path(__file__).parent / "data" / "named_topics.json"

NAMES = {"M000": "tsunami aid donations", "M001": "London bombings", "M002": "Royal Navy sailors seized by Iran",
         "M003": "Tour de France", "M004": "Bali climate conference", "M005": "Chile earthquake",
         "M006": "Haiti earthquake", "M007": "Abu Ghraib", "M008": "missing Air France jet",
         "M009": "Beijing Olympics"}
ABSENT = ["Mars rover landing", "Yukos", "football transfers", "stock market crash", "presidential election",
          # Added with the audit of issue 23 (bench/audit_summaries.py names its own, others):
          "oil spill cleanup", "bank interest rates", "flu vaccine shortage", "volcano eruption",
          "nuclear power plant accident", "space shuttle launch", "film festival awards", "train derailment",
          "hurricane damage", "software patent dispute",
          # Added with the second audit: the names it found absent but kit did not.
          "football world cup", "Brexit referendum", "vaccine trials"]
THRESHOLDS = (0.0, 0.34, 0.5, 0.6, 0.67, 0.75, 1.0)


def squad(work: Path) -> tuple[Kit, dict[str, str], dict[str, str]]:
    """The SQuAD articles as files in their own store: (kit, title by file stem, name by title)."""
    data = json.loads((DATA.parent / "squad2_dev_half" / "dev-v2.0.json").read_text(encoding="utf-8"))
    folder = work / "squad"
    folder.mkdir(parents=True, exist_ok=True)
    for n, article in enumerate(data["data"]):
        text = "\n\n".join(p["context"].strip() for p in article["paragraphs"]) + "\n"
        path = folder / f"S{n:02d}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    k = kit.open(store_dir=str(folder / ".kit"), llm="extractive")
    k.ingest(folder)
    titles = {f"S{n:02d}": a["title"] for n, a in enumerate(data["data"])}
    return k, titles, {t: t.replace("_", " ") for t in titles.values()}


def rows_for(k: Kit, story: dict[str, str], names: dict[str, str],
             absent: Sequence[str] = ABSENT) -> list[tuple[float, bool | None]]:
    """(key-term share, on topic: True/False, None for an absent name) per retrieved passage; the
    share is given as -1 when a name of at most three key terms misses one (the rule compared as
    "all terms of a short name"). Also records, per name, whether kit finds it in the documents."""
    idf = k.context().idf
    rows: list[tuple[float, bool | None]] = []
    for topic, name in [*names.items(), *((None, n) for n in absent)]:
        retrieved = named_topic(name, lambda q, n: k.search(q, k=n), 12)  # as `kit summarize --topics` does
        for chunk in retrieved.chunks:
            on = None if topic is None else story[Path(chunk.path).stem] == topic
            share = key_term_coverage(name, chunk.text, idf)
            rows.append((share, on))
            ALL_TERMS.append((share if len(set(keywords(name))) > 3 or share >= 0.999 else -1.0, on))
        FOUND.append((name, topic is not None, bool(about(retrieved, idf).chunks),
                      bool(about(retrieved, idf, k.embedder).chunks)))
    return rows


ALL_TERMS: list[tuple[float, bool | None]] = []
# (name, in the documents, found by key-term share alone, found as kit finds it: and a sentence near in meaning)
FOUND: list[tuple[str, bool, bool, bool]] = []


def table(title: str, rows: list[tuple[float, bool | None]]) -> None:
    print(f"\n{title}\n")
    print("| key-term share at least | passages kept | precision | recall | kept for absent names |")
    print("|---|---|---|---|---|")
    relevant = sum(1 for _, on in rows if on)
    for t in THRESHOLDS:
        kept = [on for cov, on in rows if cov >= t]
        present = [on for on in kept if on is not None]
        precision = sum(present) / max(1, len(present))
        print(f"| {t} | {len(present)} | {precision:.3f} | {sum(present) / max(1, relevant):.3f} | "
              f"{sum(1 for on in kept if on is None)} |")


def found_table(title: str, found: list[tuple[str, bool, bool, bool]]) -> None:
    """Names kit finds in the documents, by rule: the passage share alone, and as kit decides
    (`kit.topics.named.in_documents`: a sentence of those passages near the name in meaning)."""
    print(f"\n{title}\n")
    print("| rule | present names found | absent names found (with sources listed) |")
    print("|---|---|---|")
    for label, col in ((f"key-term share >= {ON_TOPIC}", 2), (f"and the name said, or a sentence at cosine {SAYS_IT} "
                                                               f"({MENTIONS} with two passages)", 3)):
        present = [f for f in found if f[1]]
        wrong = [f[0] for f in found if not f[1] and f[col]]
        missed = [f[0] for f in present if not f[col]]
        print(f"| {label} | {len(present) - len(missed)} of {len(present)}"
              f"{' (not: ' + ', '.join(missed) + ')' if missed else ''} | "
              f"{len(wrong)} of {len(found) - len(present)}{': ' + ', '.join(wrong) if wrong else ''} |")


def written(k: Kit, story: dict[str, str], sk: Kit, titles: dict[str, str], half: str) -> None:
    """The names of one half of bench/data/named_topics.json, each on its own corpus."""
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))[half]
    FOUND.clear()
    for topic, names in data["present_multiling"].items():
        for name in names:
            rows_for(k, story, {topic: name}, ())
    rows_for(k, story, {}, data["absent_multiling"])
    for title, names in data["present_squad"].items():
        for name in names:
            rows_for(sk, titles, {title: name}, ())
    rows_for(sk, titles, {}, data["absent_squad"])
    found_table(f"names written blind, {half} half (bench/data/named_topics.json)", FOUND)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=WORK)
    args = ap.parse_args()
    k, _, docs, _ = open_multiling(args.work)
    story = {d["doc_id"]: d["topic_id"] for d in docs}
    ml = rows_for(k, story, NAMES)
    table("MultiLing (10 stories)", ml)
    sk, titles, squad_names = squad(args.work)
    sq = rows_for(sk, titles, squad_names)
    table("SQuAD (16 articles)", sq)
    table("both", ml + sq)
    table("both, a name of up to three key terms needing all of them", ALL_TERMS)
    found_table("names found in the documents (the names above)", FOUND)
    written(k, story, sk, titles, "dev")
    written(k, story, sk, titles, "test")


if __name__ == "__main__":
    main()
