"""An outsider's audit of `kit summarize`: every summary sentence and every agree/differ line, to
be labelled by reading.

    python -m bench.audit_summaries --kit /path/to/a/checkout [--kit another] [--work /tmp/kit-audit]

Two corpora made as files: the 100 MultiLing 2011 WikiNews articles ("news") and the same with
the 16 SQuAD 2.0 dev-half Wikipedia articles cut into files of 12 paragraphs ("mix", 161 files).
Each checkout given is run as a user runs it (`python -m kit.cli`, its own store per corpus):
`kit summarize --json` (automatic topics) on both, then `kit summarize --topics ...` with the
names in NAMES on "mix" (written before kit's output was read: present and absent, specific and
broad). Writes one TSV per checkout (`audit-<n>.tsv`: checkout, corpus, topic, kind, text, files)
with an empty label column, and prints the counts a reader needs: sentences, agree lines,
differ lines, agree lines repeated or also a difference, sources listed for absent names. The
labels themselves (on topic, dangling, a real difference) are a reader's, never kit's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Present (specific, then broad) and absent names, as a user would type them.
NAMES = ["Air France crash", "Abu Ghraib prisoner abuse", "British sailors captured by Iran", "Haiti earthquake",
         "earthquake", "doping in the Tour de France", "climate change", "London bombings",
         "tsunami aid donations", "Beijing Olympics", "Steam engine", "Yuan dynasty", "immune system",
         "Scottish Parliament", "oil crisis",
         "Mars rover landing", "stock market crash", "football world cup", "Brexit referendum", "vaccine trials"]
ABSENT = NAMES[15:]


def corpora(work: Path) -> dict[str, Path]:
    """The two folders of files (made once)."""
    news, mix = work / "news", work / "mix"
    if not mix.exists():
        news.mkdir(parents=True)
        mix.mkdir(parents=True)
        for line in (DATA / "multiling2011_en" / "docs.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            for folder in (news, mix):
                (folder / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")
        squad = json.loads((DATA / "squad2_dev_half" / "dev-v2.0.json").read_text(encoding="utf-8"))
        for article in squad["data"]:
            paragraphs = [p["context"] for p in article["paragraphs"]]
            for i in range(0, len(paragraphs), 12):
                text = article["title"].replace("_", " ") + "\n\n" + "\n\n".join(paragraphs[i:i + 12])
                (mix / f"{article['title']}_{i // 12}.txt").write_text(text, encoding="utf-8")
    return {"news": news, "mix": mix}


def kit_json(checkout: Path, store: Path, *args: str) -> tuple[dict, float]:
    """`kit ARGS --json` with the checkout's code, and its wall time."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "KIT_STORE_DIR": str(store)}
    started = time.perf_counter()
    # Run from the store's folder: `python -m` puts the working directory first on the path, and
    # from a checkout it would import that checkout's kit instead of the one audited.
    out = subprocess.run([sys.executable, "-m", "kit.cli", *args], env=env, capture_output=True, text=True,
                         check=True, cwd=store.parent)
    return (json.loads(out.stdout) if "--json" in args else {}), time.perf_counter() - started


def rows(run: str, corpus: str, result: dict) -> list[list[str]]:
    """One row per summary sentence, agree line and differ line."""
    out = []
    for s in result["summaries"]:
        title = s["topic"]["title"]
        if not s["found"]:
            out.append([run, corpus, title, "absent", "", " ".join(s["topic"]["documents"]), ""])
        path = {c["key"]: c["path"] for c in s["citations"]}
        for c in s["claims"]:
            out.append([run, corpus, title, "sentence", c["text"], " ".join(path[k] for k in c["citations"]), ""])
        for a in s["agreements"]:
            out.append([run, corpus, title, "agree", a["statement"], " ".join(x["path"] for x in a["citations"]), ""])
        for d in s["differences"]:
            text = f"{d['subject']}: " + " | ".join(f"{v['says']} <{v['citation']['quote']}>" for v in d["versions"])
            out.append([run, corpus, title, "differ", text, " ".join(v["citation"]["path"] for v in d["versions"]), ""])
    return out


def counts(table: list[list[str]]) -> dict[str, int]:
    """What can be counted without a reader."""
    agree = [r for r in table if r[3] == "agree"]
    differ_text = " ".join(r[4] for r in table if r[3] == "differ")
    return {"sentences": sum(r[3] == "sentence" for r in table), "agree": len(agree),
            "differ": sum(r[3] == "differ" for r in table),
            "agree repeated": len(agree) - len({(r[1], r[2], r[4]) for r in agree}),
            "agree also a difference": sum(1 for r in agree if r[4] and r[4][:60] in differ_text),
            "absent names with sources": sum(1 for r in table if r[3] == "absent" and r[5])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kit", type=Path, action="append", required=True, help="a checkout of kit to audit")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kit-audit"))
    args = ap.parse_args()
    folders = corpora(args.work)
    for n, checkout in enumerate(args.kit):
        table: list[list[str]] = []
        for corpus, folder in folders.items():
            store = args.work / f"store-{n}-{corpus}"
            kit_json(checkout, store, "ingest", str(folder))
            auto, took = kit_json(checkout, store, "summarize", "--json", "--no-progress")
            _, again = kit_json(checkout, store, "summarize", "--json", "--no-progress")
            print(f"{checkout} {corpus}: first summarize {took:.1f} s, again {again:.1f} s")
            table += rows(f"{n}:auto", corpus, auto)
            if corpus == "mix":
                named, _ = kit_json(checkout, store, "summarize", "--json", "--no-progress", "--topics", *NAMES)
                table += rows(f"{n}:named", corpus, named)
        with open(args.work / f"audit-{n}.tsv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f, delimiter="\t").writerows([["run", "corpus", "topic", "kind", "text", "files", "label"],
                                                     *table])
        print(checkout, json.dumps(counts(table)))


if __name__ == "__main__":
    main()
