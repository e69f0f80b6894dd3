"""`--file` (search, ask, check) and the Python `files=` argument name stored files by their stored
path, their file name or a glob; a name that matches none is one line listing the closest stored
names; a search that finds nothing says so instead of printing nothing."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.api import Kit
from kit.errors import InputError
from kit.store.listing import match_files
from tests.helpers import SEED_FILES, SEEDS, open_hash, run_kit

STORED = [f"seeds/{name}" for name in SEED_FILES]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seeds ingested by `kit ingest` in its own process, `.kit` beside `seeds/` as a user has it."""
    root = tmp_path_factory.mktemp("names")
    shutil.copytree(SEEDS, root / "seeds")
    done = run_kit(["ingest", str(root / "seeds"), "--store", str(root / ".kit"), "--embedder", "hash"])
    assert done.returncode == 0, done.stderr
    yield root


def kit_run(project: Path, *args: str) -> tuple[int, str, str]:
    done = run_kit([*args, "--store", str(project / ".kit"), "--embedder", "hash"])
    return done.returncode, done.stdout, done.stderr


def test_the_search_example_of_the_help_finds_passages_on_the_seeds(project: Path) -> None:
    done = run_kit(["search", "--help"])
    example = next(line for line in done.stdout.splitlines() if "--file" in line and line.strip().startswith("kit"))
    args = shlex.split(example)[1:]  # the example as a shell would pass it, without `kit`
    code, out, err = kit_run(project, *args)
    assert code == 0, err
    hits = json.loads(out)
    assert hits and {h["path"] for h in hits} == {STORED[2]}


@pytest.mark.parametrize("given", [STORED[2], SEED_FILES[2], "002_*", "seeds/002_*.txt", "*/002_*"])
def test_search_file_takes_a_stored_path_a_file_name_or_a_glob(project: Path, given: str) -> None:
    code, out, err = kit_run(project, "search", "oil revenue", "--file", given, "--json")
    assert code == 0, err
    hits = json.loads(out)
    assert hits and {h["path"] for h in hits} == {STORED[2]}


def test_search_file_matching_nothing_is_one_line_naming_the_closest_stored_files(project: Path) -> None:
    code, out, err = kit_run(project, "search", "oil revenue", "--file", "002.txt")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kit: error: ") and "Traceback" not in err
    assert "002.txt" in lines[0] and STORED[2] in lines[0]
    assert lines[0].index(STORED[2]) < min(lines[0].index(p) for p in STORED if p != STORED[2] and p in lines[0])


def test_ask_about_a_file_the_store_does_not_hold_says_no_such_file(project: Path) -> None:
    code, out, err = kit_run(project, "ask", "Who fired the missiles?", "--file", "004.txt")
    assert code == 1 and "not in the documents" not in out
    assert "004.txt" in err and STORED[4] in err and len(err.strip().splitlines()) == 1


def test_check_file_takes_a_file_name(project: Path) -> None:
    code, out, err = kit_run(project, "check", "Russia fired cruise missiles.", "--file", SEED_FILES[0], "--json")
    assert code == 0, err
    assert json.loads(out)["files"] == [STORED[0]]


def test_a_search_with_no_hits_says_so(project: Path) -> None:
    code, out, err = kit_run(project, "search", "oil revenue", "--file", SEED_FILES[2], "--section", "sidebar")
    assert code == 0, err
    assert out.strip().startswith("no passage found") and "sidebar" in out


def test_python_files_argument_matches_the_same_way(project: Path) -> None:
    k = open_hash(project / ".kit")
    hits = k.search("oil revenue", files=["002_*"])
    assert hits and {h.chunk.path for h in hits} == {STORED[2]}
    with pytest.raises(InputError, match=r"002\.txt"):
        k.search("oil revenue", files=["002.txt"])


def test_a_glob_matching_several_files_searches_them_all(project: Path) -> None:
    k: Kit = open_hash(project / ".kit")
    hits = k.search("the", k=20, files=["00[34]_*"])
    assert {h.chunk.path for h in hits} == {STORED[3], STORED[4]}


def test_match_files_keeps_each_file_once_in_stored_order() -> None:
    stored = ["a/x.txt", "b/x.txt", "b/y.md"]
    assert match_files(["x.txt", "b/*", "a/x.txt"], stored) == ["a/x.txt", "b/x.txt", "b/y.md"]
    with pytest.raises(InputError, match=r"z\.txt.*closest: a/x\.txt"):
        match_files(["z.txt"], stored)
    with pytest.raises(InputError, match="holds no file"):
        match_files(["z.txt"], [])
