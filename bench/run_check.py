"""How long `kit check` takes on a 10-sentence draft over the seeds, offline, cold and warm.

    python -m bench.run_check [--rounds 5]

Cold: `kit check --from draft.md` in a new process each time (imports, the MiniLM and spaCy
models, the store). Warm: `Kit.check` again in one process that has checked the draft once.
The store is the seeds ingested with the default embedder into a temporary folder. Medians are
quoted with the machine's load average, since these machines are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kit

ROOT = Path(__file__).resolve().parents[1]
# Ten sentences a person might draft from the seeds: restatements, a number, a name, and faults.
DRAFT = """Russian warplanes flew 126 combat sorties on Wednesday.
ISIS is losing about $1.5 million a day from oil, according to the Russian defence ministry.
Surovikin accused the United States of colluding with the militants near Raqqa.
The Russian aviation group in Syria doubled its number of aircraft.
Palmyra was finally captured by ISIS in 2017.
The strikes near Palmyra were launched from ships and submarines.
Eight fuel trucks were destroyed in the strikes.
The United States agreed to withdraw all of its troops from Syria.
The convoy left Raqqa because of a sandstorm.
Kurdish forces took part in the operation near Palmyra.
"""


def cold(store: Path, draft: Path, rounds: int) -> list[float]:
    script = Path(sys.executable).parent / "kit"
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([str(script), "check", "--from", str(draft), "--store", str(store)], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def warm(store: Path, rounds: int) -> list[float]:
    k = kit.open(store_dir=str(store))
    k.check(DRAFT)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        k.check(DRAFT)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, draft = Path(tmp) / ".kit", Path(tmp) / "draft.md"
        draft.write_text(DRAFT, encoding="utf-8")
        kit.open(store_dir=str(store)).ingest(ROOT / "seeds")
        load_before = os.getloadavg()
        cold_s, warm_s = cold(store, draft, args.rounds), warm(store, args.rounds)
        load = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    result = {"sentences": len(DRAFT.splitlines()), "cold_s": cold_s, "warm_s": warm_s, "load": load,
              "cold_s_median": round(statistics.median(cold_s), 3),
              "warm_s_median": round(statistics.median(warm_s), 3)}
    (ROOT / "bench/results/check.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"kit check, {result['sentences']} sentences: cold median {result['cold_s_median']} s, "
          f"warm median {result['warm_s_median']} s (load {result['load']})")


if __name__ == "__main__":
    main()
