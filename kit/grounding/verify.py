"""Re-check a saved answer or report (`kit ask --json`, `kit summarize --out X.json`), or every
run recorded in a store's history (`kit verify --history`).

Every citation's quote must still stand at its span in its file (read from the corpus the
provenance names; for HTML, the span's markup with tags stripped and references decoded, so a
span moved onto markup fails), and every claim shown as supported or partly supported must still get that
verdict from the support check against its quotes, judged in the context of the file around
them. Each failure is one line naming the claim, the citation and the cause. This module
does not retrieve, call models or change a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.corpus.sources import SourceReader
from kit.errors import InputError
from kit.grounding.citations import verify
from kit.grounding.claims import failure_reason
from kit.grounding.saved import first_problem, saved_kind
from kit.grounding.support import Judge
from kit.location import stores_in
from kit.store.history import Run
from kit.store.manifest import read_manifest
from kit.types import Citation, Support

# Characters of file text on each side of a quote that stand in for its passage.
_CONTEXT = 500


@dataclass
class Verification:
    """What `kit verify` found."""

    claims: int = 0
    citations: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "claims": self.claims, "citations": self.citations, "problems": self.problems}


def sources_root(data: dict[str, Any], saved: str) -> Path:
    """The folder a saved answer's or report's file names are relative to (its provenance's base);
    `InputError` unless it is a folder that holds a kit store: the saved file names its own base,
    and kit verify reads nothing outside the folder of the store that wrote it."""
    provenance = data.get("provenance")
    base = provenance.get("base") if isinstance(provenance, dict) else None
    root = Path(base) if isinstance(base, str) and base else None
    if root is None or not _is_dir(root):
        raise InputError(f"{saved}: the folder its files are named from ({root}) is gone or not recorded; "
                         "cannot re-check its citations")
    if not stores_in(root):
        raise InputError(f"{saved}: its base folder {root} holds no kit store; kit verify reads files only "
                         "inside the folder of the store that wrote it")
    return root


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long for the OS, or holding a NUL
        return False


def confined_reader(root: Path, fallback_encoding: str, max_bytes: int) -> SourceReader:
    """A reader for names a saved file gives: inside `root`, or files its stores record by absolute name."""
    stored = frozenset(name for store in stores_in(root) if (m := read_manifest(store)) for name in m.files)
    return SourceReader(root, fallback_encoding, max_bytes, confined=True, stored=stored)


def verify_saved(data: dict[str, Any], reader: SourceReader, judge: Judge) -> Verification:
    """Re-check every claim and citation of a saved answer or report (validated by `load_saved`)."""
    result = Verification()
    for where, claims, citations in _units(data):
        by_key = {c.key: c for c in citations}
        for n, claim in enumerate(claims, 1):
            result.claims += 1
            _check_claim(f"{where}claim {n}", claim, by_key, reader, judge, result)
    if not result.claims and not _says_nothing(data):
        result.problems.append("it holds no claim to re-check, yet does not say the documents lack the answer")
    return result


def _says_nothing(data: dict[str, Any]) -> bool:
    """True for an answer that abstained, or a report whose every topic was not in the documents:
    the only saved files for which no claim is the honest content."""
    if "summaries" in data:
        return bool(data["summaries"]) and not any(s["found"] for s in data["summaries"])
    return data.get("abstained") is True


def _units(data: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]], list[Citation]]]:
    """(label prefix, claims, citations) of an answer, or of each topic of a report."""
    if "summaries" in data:
        for s in data["summaries"]:
            yield (f"topic {s['topic']['number']}, ", s.get("claims", []),
                   [Citation.from_dict(c) for c in s.get("citations", [])])
    else:
        yield "", data.get("claims", []), [Citation.from_dict(c) for c in data.get("citations", [])]


def _check_claim(label: str, claim: dict[str, Any], by_key: dict[int, Citation], reader: SourceReader,
                 judge: Judge, result: Verification) -> None:
    saved = Support(claim["support"])
    invented = [k for k in claim["citations"] if k not in by_key]
    result.problems += [f"{label} cites [{k}], which the file does not hold" for k in invented]
    kept = []
    for c in (by_key[k] for k in claim["citations"] if k in by_key):
        result.citations += 1
        problem = _span_problem(c, reader) or _check_problem(c, reader)
        if problem:
            result.problems.append(f"{label}, citation [{c.key}] {c.path} [{c.start}:{c.end}]: {problem}")
        else:
            kept.append(verify(c, reader))
    if saved is Support.UNSUPPORTED:
        return
    if not kept:
        result.problems.append(f"{label} is marked {saved.value} but no citation of it checks out: "
                               f"\"{claim['text'][:80]}\"")
        return
    passages = ["".join(reader.context(c.path, c.start, c.end, _CONTEXT) or (c.quote,)) for c in kept]
    now = judge.judge(claim["text"], [c.quote for c in kept], passages).support
    if now.strength < saved.strength:
        result.problems.append(f"{label} was {saved.value} and is now {now.value}: \"{claim['text'][:80]}\"")


def _span_problem(c: Citation, reader: SourceReader) -> str | None:
    """Why a citation's span cannot be in its file (0 <= start < end <= the file's length), or None.
    A file that cannot be read is left to `verify`, which names why."""
    text = reader.text(c.path)
    if text is None or 0 <= c.start < c.end <= len(text):
        return None
    return f"its span is not within {c.path} ({len(text)} characters)"


def _check_problem(c: Citation, reader: SourceReader) -> str | None:
    checked = verify(c, reader)
    return None if checked.verified else failure_reason(checked)


@dataclass
class HistoryCheck:
    """What `kit verify --history` found: each recorded run re-checked, the broken ones with why."""

    runs: int = 0
    broken: list[tuple[Run, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "runs": self.runs,
                "broken": [{**run.to_dict(), "problems": problems} for run, problems in self.broken]}


def verify_runs(runs: Iterable[Run], judge: Judge, fallback_encoding: str, max_bytes: int) -> HistoryCheck:
    """Re-check every recorded run's result against the files as they are now (`verify_saved`)."""
    found = HistoryCheck()
    readers: dict[Path, SourceReader] = {}
    for run in runs:
        found.runs += 1
        label = f"run {run.id}"
        kind = saved_kind(run.result)
        problem = first_problem(run.result, {"$ref": f"#/$defs/{kind}"})
        try:
            if problem:
                raise InputError(f"{label}: its recorded result is not a valid {kind.lower()} ({problem})")
            root = sources_root(run.result, label)
            if root not in readers:
                readers[root] = confined_reader(root, fallback_encoding, max_bytes)
            problems = verify_saved(run.result, readers[root], judge).problems
        except InputError as exc:
            problems = [str(exc)]
        if problems:
            found.broken.append((run, problems))
    return found
