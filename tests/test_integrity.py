"""Kit's own files carry checksums: a damaged state file, file list, keyword index or topic cache is
found, named and repaired, never taken as sound, never a traceback.

Each file of a real store on disk (seeds, Chroma, the hashing embedder) is corrupted several ways:
truncated, zeroed, bytes flipped, a JSON value changed, a format number this kit does not read.
For each: the commands that read it raise `DamagedFileError` naming it (the CLI prints one line),
`doctor` says "damaged" naming it (never "healthy"), and `doctor --repair` (or, for the keyword
index, the next ingest) restores what a clean ingest gives: the same files, a keyword index with
every chunk, and the same top hits.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import kit
from kit.api import Kit
from kit.config import Settings
from kit.embeddings import OnnxMiniLM, model_problem, prepare
from kit.errors import DamagedFileError
from kit.location import STATE_FILE, TOPICS_CACHE
from kit.store.integrity import sealed
from kit.store.manifest import MANIFEST
from tests.helpers import SEED_FILES, SEEDS, kit_command, kit_free_env

# One query per seed file: its first sentence, so top-1 says whether retrieval is whole.
QUERIES = [SEEDS.joinpath(f).read_text(encoding="utf-8").split(".")[0] for f in SEED_FILES]


def open_kit(base: Path) -> Kit:
    return kit.open(store_dir=str(base / ".kit"), embedder="hash", llm="extractive")


def top_ids(k: Kit) -> list[str]:
    return [k.search(q, k=1)[0].chunk.id for q in QUERIES]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], int]:
    """A store of the seeds as a clean ingest leaves it: (its base folder, top-1 ids, chunk count)."""
    base = tmp_path_factory.mktemp("clean")
    shutil.copytree(SEEDS, base / "seeds")
    k = open_kit(base)
    k.ingest(base / "seeds")
    k.topics(k=2)
    k.summarize(max_sentences=2)  # leaves a topic cache with summaries
    return base, top_ids(k), k.store.count()


def copy_of(clean: tuple[Path, list[str], int], tmp_path: Path, name: str) -> Path:
    base = tmp_path / name
    shutil.copytree(clean[0], base)
    return base


# -- the ways a file is damaged --------------------------------------------------------------------
def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def zero(path: Path) -> None:
    path.write_bytes(b"\0" * path.stat().st_size)


def flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data), max(1, len(data) // 7)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def edit_json(change: Callable[[dict], None], reseal: bool = False) -> Callable[[Path], None]:
    """A valid JSON file with one value changed (`reseal`: its checksum written again, so only the
    value itself can tell)."""
    def damage(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(sealed(data) if reseal else data), encoding="utf-8")
    return damage


def assert_repaired(base: Path, clean: tuple[Path, list[str], int]) -> None:
    k = open_kit(base)
    verdict = k.doctor().to_dict()
    assert verdict["verdict"] == "healthy", verdict["problems"]
    assert k.store.keyword_index().size == k.store.count() == clean[2]
    assert top_ids(k) == clean[1]
    assert {f.path for f in k.files().files} == {f"seeds/{f}" for f in SEED_FILES}


def assert_damaged(base: Path, name: str) -> None:
    result = open_kit(base).doctor().to_dict()
    assert result["verdict"] == "damaged", result["problems"]
    assert any(name in p["text"] for p in result["problems"]), result["problems"]


# -- the state file ----------------------------------------------------------------------------------
STATE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": truncate, "zeroed": zero, "flipped": flip,
    "value changed": edit_json(lambda d: d.update(generation=d["generation"] + 5)),
    "format 99": edit_json(lambda d: d.update(format=99), reseal=True),
    "write mark missing fields": edit_json(lambda d: d.update(writing={"op": "ingest"}), reseal=True),
}


@pytest.mark.parametrize("how", list(STATE_DAMAGE))
def test_a_damaged_state_file_is_named_never_an_empty_store(clean: tuple[Path, list[str], int], tmp_path: Path,
                                                           how: str) -> None:
    base = copy_of(clean, tmp_path, "store")
    STATE_DAMAGE[how](base / ".kit" / STATE_FILE)
    k = open_kit(base)
    with pytest.raises(DamagedFileError, match=STATE_FILE):
        k.ingest(base / "seeds")  # before: an empty keyword index over the 36 stored chunks
    with pytest.raises(DamagedFileError, match=STATE_FILE):
        k.search(QUERIES[0])
    assert_damaged(base, STATE_FILE)
    repaired = open_kit(base).doctor(repair=True).to_dict()
    assert repaired["verdict"] == "healthy", repaired
    assert any("state file was damaged" in a for a in repaired["actions"])
    assert_repaired(base, clean)


def test_the_cli_says_one_line_for_a_damaged_state_file(clean: tuple[Path, list[str], int], tmp_path: Path) -> None:
    base = copy_of(clean, tmp_path, "store")
    zero(base / ".kit" / STATE_FILE)
    for args in (["ingest", "seeds"], ["search", "Raqqa"], ["files"]):
        done = subprocess.run([*kit_command(), *args, "--embedder", "hash"], cwd=base, capture_output=True,
                              text=True, env=kit_free_env(), timeout=300)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert STATE_FILE in lines[0] and "kit doctor --repair" in lines[0]


# -- the file list -------------------------------------------------------------------------------------
def swap_counts(data: dict) -> None:
    rows = data["files"]
    rows[0][2], rows[1][2] = rows[1][2] + 1, rows[0][2]


MANIFEST_DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": truncate, "zeroed": zero, "flipped": flip, "value changed": edit_json(swap_counts),
    "format 99": edit_json(lambda d: d.update(format=99), reseal=True),
}


@pytest.mark.parametrize("how", list(MANIFEST_DAMAGE))
def test_a_damaged_file_list_is_named_and_rebuilt(clean: tuple[Path, list[str], int], tmp_path: Path,
                                                  how: str) -> None:
    base = copy_of(clean, tmp_path, "store")
    MANIFEST_DAMAGE[how](base / ".kit" / MANIFEST)
    listed = {f.path: f.chunks for f in open_kit(base).files().files}  # read from Chroma instead
    assert listed == {f.path: f.chunks for f in open_kit(clean[0]).files().files}
    assert_damaged(base, MANIFEST)
    assert open_kit(base).doctor(repair=True).to_dict()["verdict"] == "healthy"
    assert_repaired(base, clean)


# -- the keyword index -----------------------------------------------------------------------------------
def keyword_folder(base: Path) -> Path:
    """The newest generation's keyword index folder."""
    return max((base / ".kit" / "keyword").glob("[0-9]*"), key=lambda p: int(p.name))


def keyword_files(base: Path) -> list[Path]:
    return sorted(p for p in keyword_folder(base).rglob("*") if p.is_file())


def shuffle_values(data: dict) -> None:
    values = list(data.values())
    random.Random(3).shuffle(values)
    data.update(zip(data, values, strict=True))


def test_every_damaged_keyword_index_file_is_found_and_rebuilt(clean: tuple[Path, list[str], int],
                                                               tmp_path: Path) -> None:
    """Every file of the index one way (truncated, zeroed, flipped in turn), plus the vocabulary's
    values shuffled (valid JSON: it silently changed results before); half fixed by an unchanged
    ingest, half by `doctor --repair`."""
    names = [p.relative_to(p.parents[0]).as_posix() for p in keyword_files(clean[0])]
    cases: list[tuple[str, Callable[[Path], None]]] = [
        (p.name, (truncate, zero, flip)[i % 3]) for i, p in enumerate(keyword_files(clean[0]))]
    cases.append(("vocab.index.json", edit_json(shuffle_values)))
    assert len(cases) >= 12, names
    for n, (name, damage) in enumerate(cases):
        base = copy_of(clean, tmp_path, f"case{n}")
        target = next(p for p in keyword_files(base) if p.name == name)
        damage(target)
        with pytest.raises(DamagedFileError, match=target.name):
            open_kit(base).search(QUERIES[0])
        assert_damaged(base, target.name)
        if n % 2:
            open_kit(base).ingest(base / "seeds")  # nothing changed on disk, but the index is written anew
        else:
            open_kit(base).doctor(repair=True)
        assert_repaired(base, clean)


def test_an_index_whose_checksums_were_removed_is_never_called_healthy(clean: tuple[Path, list[str], int],
                                                                     tmp_path: Path) -> None:
    """checksums.json deleted and a file edited after: doctor cannot check the index, so it is
    damaged (searches still read a folder without checksums, as an older kit wrote them); repair
    writes it again with checksums."""
    base = copy_of(clean, tmp_path, "unsummed")
    (keyword_folder(base) / "checksums.json").unlink()
    edit_json(shuffle_values)(next(p for p in keyword_files(base) if p.name == "vocab.index.json"))
    open_kit(base).search(QUERIES[0])  # read, unverified
    assert_damaged(base, "checksums.json")
    open_kit(base).doctor(repair=True)
    assert (keyword_folder(base) / "checksums.json").exists()
    assert_repaired(base, clean)


def test_an_emptied_history_is_damage_and_repair_sets_it_aside(clean: tuple[Path, list[str], int],
                                                               tmp_path: Path) -> None:
    base = copy_of(clean, tmp_path, "history")
    history = next(base.rglob("history.sqlite"))
    history.write_bytes(b"")
    assert_damaged(base, "history.sqlite")
    open_kit(base).doctor(repair=True)
    assert not history.exists() or history.stat().st_size > 0
    assert open_kit(base).doctor().to_dict()["verdict"] == "healthy"


# -- the topic cache -------------------------------------------------------------------------------------
def edit_a_claim(data: dict) -> None:
    summary = next(s for s in data["summaries"].values() if s["claims"])
    summary["claims"][0]["text"] = "Edited: the missiles were fired at the moon."


@pytest.mark.parametrize("how", ["claim edited", "truncated", "flipped"])
def test_a_tampered_topic_cache_is_dropped_never_shown(clean: tuple[Path, list[str], int], tmp_path: Path,
                                                       how: str) -> None:
    base = copy_of(clean, tmp_path, "store")
    cache = base / ".kit" / TOPICS_CACHE
    {"claim edited": edit_json(edit_a_claim), "truncated": truncate, "flipped": flip}[how](cache)
    assert_damaged(base, TOPICS_CACHE)
    shown = [c.text for s in open_kit(base).summarize(max_sentences=2) for c in s.claims]
    assert shown and not any("moon" in text for text in shown)
    assert open_kit(base).doctor(repair=True).to_dict()["verdict"] == "healthy"


# -- the model cache ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["truncated", "zeroed", "flipped"])
def test_a_damaged_model_graph_is_found_and_exported_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          how: str) -> None:
    """Before: `kit prepare` said "ready" over a damaged graph, and every search gave an
    onnxruntime traceback (or, with weights changed in a valid graph, wrong vectors silently)."""
    settings = Settings.load(environ={}, embedder="minilm-int8")
    sound = prepare(settings)  # the shared cache's graph, exported once per machine
    assert sound is not None
    cache = tmp_path / "cache"
    cache.mkdir()
    for path in sound.parent.glob(f"{sound.name.removesuffix('-int8.onnx')}*"):
        if path.name.endswith((".onnx", ".sha256")):
            shutil.copy(path, cache / path.name)
    monkeypatch.setenv("KIT_CACHE_DIR", str(cache))
    texts = ["Russian warships fired cruise missiles at Raqqa.", "The council approved the budget."]
    before = OnnxMiniLM(quantized=True).embed(texts)
    graph = cache / sound.name
    {"truncated": truncate, "zeroed": zero, "flipped": flip}[how](graph)
    problem = model_problem(settings)
    assert problem is not None and str(graph) in problem
    done = subprocess.run([*kit_command(), "prepare", "--embedder", "minilm-int8"], capture_output=True, text=True,
                          timeout=600, env={**kit_free_env(), "KIT_CACHE_DIR": str(cache)})
    assert done.returncode == 0 and "fails its checksum, exporting it again" in done.stderr, done.stderr
    assert model_problem(settings) is None
    assert np.allclose(OnnxMiniLM(quantized=True).embed(texts), before, atol=1e-6)


# -- a kit file swapped for something that is not a file ---------------------------------------------------
def fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def endless(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def folder(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()
    (path / "x").write_text("x", encoding="utf-8")


def link_to_a_copy(path: Path) -> None:
    """The same bytes, but behind a link to a file anyone could change later."""
    copy = path.with_name(f"elsewhere-{path.name}")
    path.rename(copy)
    path.symlink_to(copy)


SWAPS: dict[str, Callable[[Path], None]] = {"a FIFO": fifo, "a link to /dev/zero": endless, "a folder": folder,
                                            "a link to a copy": link_to_a_copy}
TARGETS = [STATE_FILE, MANIFEST, TOPICS_CACHE, "keyword/vocab.index.json", "keyword/ids.npy", "history.sqlite"]


def target_path(base: Path, name: str) -> Path:
    if name.startswith("keyword/"):
        return next(p for p in keyword_files(base) if p.name == name.split("/")[1])
    return base / ".kit" / name


@pytest.mark.parametrize("target", TARGETS)
def test_a_kit_file_swapped_for_a_fifo_device_folder_or_link_is_damage_never_a_hang(
        clean: tuple[Path, list[str], int], tmp_path: Path, target: str) -> None:
    """A FIFO would block the read, /dev/zero never ends, and a link reads what someone else
    controls: each is "damaged", named within the command's time (a hang fails the timeout), and
    `doctor --repair` writes the file again. The history is set aside rather than rewritten."""
    swaps = SWAPS if target != "history.sqlite" else {k: v for k, v in SWAPS.items() if k != "a link to a copy"}
    for n, (how, swap) in enumerate(swaps.items()):
        base = copy_of(clean, tmp_path, f"{n}")
        if target == "history.sqlite":
            (base / ".kit" / target).write_bytes(b"")
        swap(target_path(base, target))
        done = subprocess.run([*kit_command(), "doctor", "--embedder", "hash"], cwd=base, capture_output=True,
                              text=True, env=kit_free_env(), timeout=120)
        assert done.returncode == 1 and "Traceback" not in done.stderr, (how, done.stdout, done.stderr)
        assert "damaged" in done.stdout and target.split("/")[-1] in done.stdout, (how, done.stdout)
        assert open_kit(base).doctor(repair=True).to_dict()["verdict"] == "healthy", how
        assert_repaired(base, clean)


def test_a_folder_in_place_of_the_write_lock_is_one_line_saying_what_to_do(clean: tuple[Path, list[str], int],
                                                                           tmp_path: Path) -> None:
    base = copy_of(clean, tmp_path, "store")
    folder(base / ".kit" / "write.lock")
    done = subprocess.run([*kit_command(), "ingest", "seeds", "--embedder", "hash"], cwd=base, capture_output=True,
                          text=True, env=kit_free_env(), timeout=120)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "write.lock" in lines[0] and "remove it" in lines[0]
