"""`kit verify` on saved files that are broken or made up: fifty of them, each through the CLI.

A file that is not what kit writes (truncated JSON, wrong types, missing keys, huge or negative
numbers, extra nesting) is refused in one `kit: error:` line naming the file and the first
problem. A file that fits the schema but asserts what it cannot back (a claim marked supported
with no citation or an invented one, a span outside its file, no claim at all) is a verify
failure naming each problem. Never a traceback, never "all checks pass", never a raw control
character on the terminal.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kit.cli import main
from kit.grounding.saved import first_problem
from tests.helpers import SEEDS, kit_free_env

FAITHFUL = "Russian warplanes flew 126 combat sorties on Wednesday."  # 002 holds it, reworded
INVENTED = "The Eiffel Tower was moved to Berlin in 2015."
REPO = Path(__file__).resolve().parents[1]
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

Case = Callable[[dict[str, Any], str], "dict[str, Any] | str | bytes"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A project (docs/ with two seeds, .kit) and the JSON `kit check --out` saved from it,
    which verify passes: the base every malformed case is made from."""
    project = tmp_path_factory.mktemp("verify")
    (project / "docs").mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, project / "docs" / seed.name)
    store = str(project / ".kit")
    assert main(["ingest", str(project / "docs"), "--store", store, "--embedder", "hash", "--no-progress"]) == 0
    out = project / "check.json"
    assert main(["check", f"{FAITHFUL} {INVENTED}", "--store", store, "--embedder", "hash", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [c["support"] for c in data["claims"]] == ["supported", "unsupported"] and len(data["citations"]) == 1
    assert main(["verify", str(out), "--embedder", "hash"]) == 0  # the base passes: every case below breaks it
    return out, data


def cite(d: dict[str, Any], **changes: Any) -> dict[str, Any]:
    d["citations"][0].update(changes)
    return d


def claim(d: dict[str, Any], **changes: Any) -> dict[str, Any]:
    d["claims"][0].update(changes)
    return d


def drop(d: dict[str, Any], where: dict[str, Any], key: str) -> dict[str, Any]:
    del where[key]
    return d


def answer(d: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The saved check as an answer of `kit ask --json` (same claims, citations, provenance)."""
    out = {"question": "q?", "text": "t", "abstained": False, "mode": "extractive", "backend": "extractive",
           "disclaimer": "d", "score": 0.5, "claims": [{k: v for k, v in c.items() if k != "score"}
                                                       for c in d["claims"]],
           "citations": d["citations"], "counts": d["counts"], "failed": [], "notes": [], "tokens": {},
           "traces": [], "provenance": d["provenance"]}
    return {**out, **changes}


# Refused before anything is read: not JSON, or not what kit's schema allows.
REFUSED: dict[str, Case] = {
    "empty file": lambda d, t: "",
    "truncated JSON": lambda d, t: t[: len(t) // 2],
    "truncated by one byte": lambda d, t: t.rstrip()[:-1],
    "null": lambda d, t: "null",
    "empty list": lambda d, t: "[]",
    "a number": lambda d, t: "42",
    "a string": lambda d, t: '"claims"',
    "deep nesting": lambda d, t: "[" * 100_000 + "]" * 100_000,
    "integer of 5000 digits": lambda d, t: re.sub(r'"end": \d+', '"end": ' + "9" * 5000, t, count=1),
    "NaN score": lambda d, t: re.sub(r'"score": [0-9.]+', '"score": NaN', t, count=1),
    "Infinity start": lambda d, t: re.sub(r'"start": \d+', '"start": Infinity', t, count=1),
    "1e400 end": lambda d, t: re.sub(r'"end": \d+', '"end": 1e400', t, count=1),
    "not UTF-8": lambda d, t: b"\xff\xfe{\x00" + t.encode("utf-16-le"),
    "byte order mark": lambda d, t: "\ufeff" + t,
    "no claims nor summaries": lambda d, t: {"hello": 1},
    "provenance missing": lambda d, t: drop(d, d, "provenance"),
    "provenance null": lambda d, t: {**d, "provenance": None},
    "base empty": lambda d, t: {**d, "provenance": {**d["provenance"], "base": ""}},
    "base gone": lambda d, t: {**d, "provenance": {**d["provenance"], "base": "/nonexistent/kit/base"}},
    "base with a NUL": lambda d, t: {**d, "provenance": {**d["provenance"], "base": "/tmp\x00/x"}},
    "base without a store": lambda d, t: {**d, "provenance": {**d["provenance"], "base": "/"}},
    "base a number": lambda d, t: {**d, "provenance": {**d["provenance"], "base": 7}},
    "claims an object": lambda d, t: {**d, "claims": {}},
    "claims of numbers": lambda d, t: {**d, "claims": [1, 2]},
    "claims nested in a list": lambda d, t: {**d, "claims": [d["claims"]]},
    "claim without support": lambda d, t: drop(d, d["claims"][0], "support"),
    "claim support made up": lambda d, t: claim(d, support="certainly"),
    "claim support capitalised": lambda d, t: claim(d, support="Supported"),
    "claim citation a string": lambda d, t: claim(d, citations=["1"]),
    "claim citation a boolean": lambda d, t: claim(d, citations=[True]),
    "claim citation a float": lambda d, t: claim(d, citations=[1.5]),
    "claim citations nested": lambda d, t: claim(d, citations=[[1]]),
    "claim text a number": lambda d, t: claim(d, text=126),
    "claim score a string": lambda d, t: claim(d, score="high"),
    "claim score above 1": lambda d, t: claim(d, score=5),
    "citation key a string": lambda d, t: cite(d, key="1"),
    "citation start negative": lambda d, t: cite(d, start=-5),
    "citation end negative": lambda d, t: cite(d, end=-1),
    "citation path null": lambda d, t: cite(d, path=None),
    "citation without quote": lambda d, t: drop(d, d["citations"][0], "quote"),
    "citations an object": lambda d, t: {**d, "citations": {"1": d["citations"][0]}},
    "citation section made up": lambda d, t: cite(d, section="footer"),
    "citation check made up": lambda d, t: cite(d, check="great"),
    "citation hash not hex": lambda d, t: cite(d, doc_sha256="not a hash"),
    "unknown key with escapes": lambda d, t: {**d, "\x1b[2J\x1b]0;owned\x07": 1},
    "counts missing": lambda d, t: drop(d, d, "counts"),
    "summaries not a list": lambda d, t: {"provenance": d["provenance"], "summaries": "all"},
    "summary without its topic": lambda d, t: {"provenance": d["provenance"], "summaries": [{"found": True}]},
}

# Valid by the schema, but claiming what the files do not back: a verify failure.
FAILED: dict[str, Case] = {
    "supported with no citation": lambda d, t: claim(d, citations=[]),
    "supported citing an invented key": lambda d, t: claim(d, citations=[99]),
    "partial citing only invented keys": lambda d, t: claim(d, support="partial", citations=[7, 8]),
    "no claims at all": lambda d, t: {**d, "claims": [], "citations": []},
    "an answer with no claims": lambda d, t: answer(d, claims=[], citations=[]),
    "an answer supported with no citation": lambda d, t: claim(answer(d), citations=[]),
    "a report of no topics": lambda d, t: {"provenance": d["provenance"], "summaries": []},
    "end 10**18": lambda d, t: cite(d, end=10**18),
    "start 10**18": lambda d, t: cite(d, start=10**18, end=10**18 + 5),
    "empty span": lambda d, t: cite(d, start=0, end=0, quote=""),
    "start after end": lambda d, t: cite(d, start=d["citations"][0]["end"], end=d["citations"][0]["start"]),
    "quote moved by one": lambda d, t: cite(d, start=d["citations"][0]["start"] + 1),
    "whole file quoted past its end": lambda d, t: cite(d, start=0, end=10**9),
    "path climbing out": lambda d, t: cite(d, path="../../../etc/passwd"),
    "absolute path": lambda d, t: cite(d, path="/etc/passwd"),
    "path with escapes": lambda d, t: cite(d, path="docs/\x1b[2J\x1b[31mevil\r.txt"),
    "path climbing after a dot": lambda d, t: cite(d, path="docs/./../../../../etc/hostname"),
    "path with backslashes": lambda d, t: cite(d, path="docs\\..\\..\\..\\etc\\hostname"),
    "path with a drive letter": lambda d, t: cite(d, path="C:\\Windows\\win.ini"),
    "path of fullwidth dots": lambda d, t: cite(d, path="\uff0e\uff0e/\uff0e\uff0e/\uff0e\uff0e/etc/hostname"),
    "path with a NUL": lambda d, t: cite(d, path="docs/a.txt\x00../../../etc/hostname"),
    "path of 5000 characters": lambda d, t: cite(d, path="docs/" + "a" * 5000 + ".txt"),
    "path starting //": lambda d, t: cite(d, path="//etc/hostname"),
    "path a file URL": lambda d, t: cite(d, path="file:///etc/hostname"),
    "path of /proc": lambda d, t: cite(d, path="/proc/self/environ"),
    "path a device": lambda d, t: cite(d, path="/dev/zero"),
    "path a folder": lambda d, t: cite(d, path="docs"),
    "base with /.. after it": lambda d, t: {
        **cite(d, path="../../../../etc/hostname"),
        "provenance": {**d["provenance"], "base": d["provenance"]["base"] + "/docs/.."}},
    "quote with a lone surrogate": lambda d, t: cite(d, quote="\ud800 sorties"),
    "saved as failed, claimed supported": lambda d, t: cite(d, check="failed", problem="not_at_span"),
    "claim text with escapes, invented key": lambda d, t: claim(d, text="\x1b[2K\rAll good\x9b", citations=[5]),
}


def cases() -> list[tuple[str, str, Case]]:
    return [("refused", name, case) for name, case in REFUSED.items()] + [
        ("failed", name, case) for name, case in FAILED.items()]


def write_case(folder: Path, n: int, case: Case, base: dict[str, Any]) -> Path:
    made = case(copy.deepcopy(base), json.dumps(base, indent=2, ensure_ascii=False))
    path = folder / f"case{n:02}.json"
    if isinstance(made, bytes):
        path.write_bytes(made)
    else:
        path.write_text(made if isinstance(made, str) else json.dumps(made, indent=2), encoding="utf-8",
                        errors="surrogatepass")
    return path


def test_fifty_malformed_or_made_up_files(saved: tuple[Path, dict[str, Any]], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    all_cases = cases()
    assert len(all_cases) >= 50
    wrong = []
    for n, (expected, name, case) in enumerate(all_cases):
        path = write_case(tmp_path, n, case, saved[1])
        try:
            code = main(["verify", str(path), "--embedder", "hash"])
        except Exception as exc:  # in a real process, a traceback
            code = -1
            print(f"Traceback: {exc!r}", file=sys.stderr)
        out, err = capsys.readouterr()
        problem = outcome(expected, path, code, out, err)
        if problem:
            wrong.append(f"{name}: {problem}\n  stdout: {out[:300]!r}\n  stderr: {err[:300]!r}")
    assert not wrong, "\n".join(wrong)


def outcome(expected: str, path: Path, code: int, out: str, err: str) -> str | None:
    """What is wrong with one run, or None."""
    if "Traceback" in out + err:
        return "a traceback"
    if RAW_CONTROL.search(out + err) or re.search(r"[\ud800-\udfff]", out + err):
        return "a raw control character on the terminal"
    if code != 1:
        return f"exit code {code}"
    if expected == "refused":
        one_line = err.count("\n") == 1 and err.startswith(f"kit: error: {path}: ") and out == ""
        return None if one_line else "not one error line naming the file"
    head, *problems = out.rstrip("\n").split("\n")
    if not (head.startswith(f"{path}: ") and re.search(r"\d+ problems?$", head)) or err:
        return "no verify failure"
    return None if problems and all(p.startswith("  ") for p in problems) else "no problem named"


def test_each_problem_is_named(saved: tuple[Path, dict[str, Any]], tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    expect = {
        "claim support made up": "claims[0].support: \"certainly\" is not one of supported, partial, unsupported",
        "citation start negative": "citations[0].start: -5 is below 0",
        "1e400 end": "citations[0].end: Infinity is not a finite number",
        "unknown key with escapes": 'unknown key "\\u001b[2J\\u001b]0;owned\\u0007"',
        "supported with no citation": "claim 1 is marked supported but no citation of it checks out",
        "supported citing an invented key": "claim 1 cites [99], which the file does not hold",
        "end 10**18": f"its span is not within {saved[1]['citations'][0]['path']}",
        "no claims at all": "it holds no claim to re-check",
        "path with escapes": "docs/evil.txt is missing",  # the escapes and the \r removed
    }
    named = {**REFUSED, **FAILED}
    for n, (name, text) in enumerate(expect.items()):
        path = write_case(tmp_path, n, named[name], saved[1])
        assert main(["verify", str(path), "--embedder", "hash"]) == 1
        out, err = capsys.readouterr()
        assert text in out + err, (name, out, err)


def test_a_truncated_file_in_a_real_process_is_one_line(saved: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path = write_case(tmp_path, 0, REFUSED["truncated JSON"], saved[1])
    done = subprocess.run([sys.executable, "-m", "kit.cli", "verify", str(path)], capture_output=True, text=True,
                          cwd=REPO, env=kit_free_env(), timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"kit: error: {path}: not a JSON file written by kit (") and \
        done.stderr.count("\n") == 1


def test_the_validator_agrees_with_jsonschema_on_every_case(saved: tuple[Path, dict[str, Any]]) -> None:
    """The small validator in kit is checked against the jsonschema package on the same cases."""
    import jsonschema

    schema = json.loads((REPO / "kit" / "schema.json").read_text(encoding="utf-8"))
    for name, case in {**REFUSED, **FAILED}.items():
        made = case(copy.deepcopy(saved[1]), "{}")
        if not isinstance(made, dict) or not ({"claims", "summaries"} & set(made)):
            continue
        kind = "Report" if "summaries" in made else "Answer" if "question" in made else "Check"
        ours = first_problem(made, {"$ref": f"#/$defs/{kind}"})
        theirs = next(iter(jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}"})
                           .iter_errors(made)), None)
        assert (ours is None) == (theirs is None), (name, ours, theirs)


def test_a_device_fifo_or_folder_given_as_the_saved_file_is_one_line(tmp_path: Path) -> None:
    """/dev/zero never ends and a FIFO blocks a plain read: each is refused at once, in one line."""
    fifo = tmp_path / "saved.json"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo), str(tmp_path)):
        done = subprocess.run([sys.executable, "-m", "kit.cli", "verify", path], capture_output=True, text=True,
                              cwd=REPO, env=kit_free_env(), timeout=60)
        assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr, (path, done.stderr)
        assert done.stderr.startswith(f"kit: error: {path}") and done.stderr.count("\n") == 1, done.stderr
