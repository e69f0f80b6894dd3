"""Dev data for named topics: which retrieved passages a named topic may summarise.

    python -m bench.dev_named_topics [--work /tmp/kit-ml]

The 100 MultiLing 2011 articles (10 stories) in one store; for each story a name a reader might
type ("Haiti earthquake", "Tour de France") and five names no article is about ("Mars rover
landing"). Each name retrieves 12 passages, as `kit summarize --topics NAME` does; a passage is
on topic when its article belongs to the named story. For each threshold on the share of the
name's key terms (idf-weighted) in the passage, and on the passage's retrieval rank, the table
gives precision and recall of the passages kept, and how many passages of the absent names are
kept (each is an off-topic sentence waiting to happen). The threshold in
`kit.topics.summarize.ON_TOPIC` is the smallest with precision at least 0.95 on this set.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.eval_topics import WORK, open_multiling
from kit.text import key_term_coverage

NAMES = {"M000": "tsunami aid donations", "M001": "London bombings", "M002": "Royal Navy sailors seized by Iran",
         "M003": "Tour de France", "M004": "Bali climate conference", "M005": "Chile earthquake",
         "M006": "Haiti earthquake", "M007": "Abu Ghraib", "M008": "missing Air France jet",
         "M009": "Beijing Olympics"}
ABSENT = ["Mars rover landing", "Yukos", "football transfers", "stock market crash", "presidential election"]
THRESHOLDS = (0.0, 0.34, 0.5, 0.67, 0.75, 1.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=WORK)
    args = ap.parse_args()
    k, _, docs, _ = open_multiling(args.work)
    story = {d["doc_id"]: d["topic_id"] for d in docs}
    idf = k.context().idf
    rows: list[tuple[float, bool | None]] = []
    for topic, name in [*NAMES.items(), *((None, n) for n in ABSENT)]:
        for hit in k.search(name, k=12):
            on = None if topic is None else story[Path(hit.chunk.path).stem] == topic
            rows.append((key_term_coverage(name, hit.chunk.text, idf), on))
    print("| key-term share at least | passages kept | precision | recall | kept for absent names |")
    print("|---|---|---|---|---|")
    relevant = sum(1 for _, on in rows if on)
    for t in THRESHOLDS:
        kept = [on for cov, on in rows if cov >= t]
        present = [on for on in kept if on is not None]
        precision = sum(present) / max(1, len(present))
        print(f"| {t} | {len(present)} | {precision:.3f} | {sum(present) / max(1, relevant):.3f} | "
              f"{sum(1 for on in kept if on is None)} |")


if __name__ == "__main__":
    main()
