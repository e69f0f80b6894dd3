"""Build kit's table of English verb senses (kit/grounding/structure/verb_senses.txt) from WordNet 3.0.

    python -m bench.build_verbs [--wordnet /usr/share/wordnet]

Reads the verb files of WordNet 3.0 (Debian package `wordnet-base`) and keeps what
`kit.grounding.structure.senses` needs: each verb's senses, and each sense's hypernyms and its
entailment, cause and verb-group links. WordNet 3.0 is Princeton University's, under its licence
(free use and redistribution with the notice, which the file carries).
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kit" / "grounding" / "structure" / "verb_senses.txt"
NOTICE = """# English verb senses from WordNet 3.0 (kit/grounding/structure/senses.py; built by bench/build_verbs.py).
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Permission to use, copy,
# modify and distribute this software and database and its documentation for any purpose and without
# fee or royalty is hereby granted, provided that you agree to comply with the following copyright
# notice and statements, including the disclaimer, and that the same appear on ALL copies of the
# software, database and documentation, including modifications that you make for internal use or for
# distribution. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The name of Princeton University or Princeton
# may not be used in advertising or publicity pertaining to distribution of the software and/or database.
# Lines: "w LEMMA SENSE,SENSE..." (senses most frequent first), "s SENSE HYPERNYM,... LINKED,..."
"""


def senses(wordnet: Path) -> tuple[dict[str, list[int]], dict[int, tuple[list[int], list[int]]]]:
    lemmas: dict[str, list[int]] = {}
    for line in (wordnet / "index.verb").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or not line.strip():
            continue
        f = line.split()
        n_senses, n_pointers = int(f[2]), int(f[3])
        lemmas[f[0]] = [int(o) for o in f[4 + n_pointers + 2:]][:n_senses]
    links: dict[int, tuple[list[int], list[int]]] = {}
    for line in (wordnet / "data.verb").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or not line.strip():
            continue
        head = line.split("|")[0].split()
        words = int(head[3], 16)
        k = 4 + 2 * words
        up, linked = [], []
        for i in range(int(head[k])):
            symbol, offset, pos = head[k + 1 + 4 * i], int(head[k + 2 + 4 * i]), head[k + 3 + 4 * i]
            if pos == "v" and symbol == "@":
                up.append(offset)
            elif pos == "v" and symbol in ("*", ">", "$"):
                linked.append(offset)
        links[int(head[0])] = (up, linked)
    return lemmas, links


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    args = ap.parse_args()
    lemmas, links = senses(args.wordnet)
    rows = [f"w {lemma} {','.join(map(str, offs))}" for lemma, offs in sorted(lemmas.items())]
    rows += [f"s {o} {','.join(map(str, up)) or '-'} {','.join(map(str, linked)) or '-'}"
             for o, (up, linked) in sorted(links.items())]
    OUT.write_text(NOTICE + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(lemmas)} verbs, {len(links)} senses, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
