"""A store remembers how it was built (embedder, chunking): every later command uses it when no
option, KIT_* variable or keyword says otherwise; one that says otherwise is one line naming both
values, before any model is loaded. Through the real CLI on a store in a tmp folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import kit
from kit.config import Settings
from kit.errors import SettingsMismatchError
from tests.helpers import SEEDS, kit_free_env, run_kit


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seeds ingested with the hashing embedder and 400-character chunks, nothing else given."""
    root = tmp_path_factory.mktemp("memory")
    shutil.copytree(SEEDS, root / "seeds")
    env = {**kit_free_env(), "KIT_CHUNK_SIZE": "400"}
    done = run_kit(["ingest", str(root / "seeds"), "--store", str(root / ".kit"), "--embedder", "hash"], env=env)
    assert done.returncode == 0, done.stderr
    yield root


def bare(project: Path, *args: str) -> tuple[int, str, str]:
    """`kit ARGS --store ...` with no embedder nor chunking given."""
    done = run_kit([*args, "--store", str(project / ".kit")])
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("args", [
    ["search", "cruise missiles", "--json"],
    ["ask", "How many cruise missiles did Russia launch?", "--json"],
    ["check", "Russia fired cruise missiles from the Caspian Sea.", "--json"],
    ["doctor", "--json"],
    ["ingest", "seeds", "--json"],
])
def test_later_commands_use_the_store_s_embedder_and_chunking(project: Path, args: list[str]) -> None:
    if args[0] == "ingest":
        args = ["ingest", str(project / "seeds"), "--json"]
    code, out, err = bare(project, *args)
    assert code == 0, err
    data = json.loads(out)
    if args[0] == "search":
        assert data and all(len(h["text"]) <= 400 for h in data)
    if args[0] == "ingest":
        assert data["added"] == 0 and data["unchanged_files"] == 5  # nothing re-embedded with another model


def test_an_option_that_contradicts_the_store_is_one_line_naming_both(project: Path) -> None:
    code, out, err = bare(project, "search", "cruise missiles", "--embedder", "minilm-int8")
    assert code == 1 and out == ""
    line = err.strip()
    assert "\n" not in line and line.startswith("kit: error: ") and "Traceback" not in err
    assert "'hash'" in line and "'minilm-int8'" in line and "--rebuild" in line
    assert "dim" not in line  # follows from the embedder; not a second thing to change


def test_a_kit_variable_that_contradicts_the_store_is_an_error_too(project: Path) -> None:
    done = run_kit(["search", "x", "--store", str(project / ".kit")], env={**kit_free_env(), "KIT_CHUNK_SIZE": "800"})
    assert done.returncode == 1 and "chunk_size" in done.stderr and "400" in done.stderr and "800" in done.stderr


def test_the_library_adopts_the_store_s_settings_and_refuses_given_ones(project: Path) -> None:
    k = kit.open(store_dir=project / ".kit")
    assert (k.settings.embedder, k.settings.chunk_size, k.settings.chunk_overlap) == ("hash", 400, 120)
    assert k.search("cruise missiles")
    with pytest.raises(SettingsMismatchError, match="'minilm'"):
        kit.open(store_dir=project / ".kit", embedder="minilm").search("cruise missiles")
    given = Settings.load(environ={}, store_dir=project / ".kit", chunk_size=500)
    with pytest.raises(SettingsMismatchError, match="chunk_size"):
        kit.Kit(given).search("cruise missiles")


def test_a_rebuild_with_another_embedder_is_still_allowed(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    store = str(tmp_path / ".kit")
    assert run_kit(["ingest", str(tmp_path / "seeds"), "--store", store, "--embedder", "hash"]).returncode == 0
    env = {**kit_free_env(), "KIT_CHUNK_SIZE": "600"}
    done = run_kit(["ingest", str(tmp_path / "seeds"), "--store", store, "--rebuild", "--json"], env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] > 0
    done = run_kit(["search", "cruise missiles", "--store", store, "--json"])  # now remembers hash and 600
    assert done.returncode == 0, done.stderr
    assert all(len(h["text"]) <= 600 for h in json.loads(done.stdout))
    state = json.loads((tmp_path / ".kit" / "kit-store.json").read_text())
    assert state["facts"]["kit_chunk_size"] == 600 and state["facts"]["kit_embedder"] == "hash-256"


def test_a_kit_variable_still_counts_when_the_command_line_gives_no_option(tmp_path: Path) -> None:
    """KIT_EMBEDDER with no --embedder: the variable is what was given (it must not fall back to the default)."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {**kit_free_env(), "KIT_EMBEDDER": "hash"}
    done = run_kit(["ingest", str(tmp_path / "seeds"), "--store", str(tmp_path / ".kit")], env=env)
    assert done.returncode == 0, done.stderr
    state = json.loads((tmp_path / ".kit" / "kit-store.json").read_text())
    assert state["facts"]["kit_embedder"] == "hash-256"
