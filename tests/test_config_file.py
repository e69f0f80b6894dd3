"""The config file: kit.toml (or [tool.kit] in pyproject.toml), found from the working folder up.

Precedence is defaults < file < KIT_* variables < options; `kit config` says where each value came
from and what the setting does; a broken file is one line naming it, exit 1, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kit.config import Settings, config_file
from kit.errors import ConfigError
from tests.helpers import kit_command, kit_free_env


def kit_in(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*kit_command(), *args], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**kit_free_env(), **env})


def config_json(folder: Path, **env: str) -> dict[str, dict[str, object]]:
    run = kit_in(folder, "config", "--json", **env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_kit_toml_sets_values_below_env_and_options(tmp_path: Path) -> None:
    (tmp_path / "kit.toml").write_text('top_k = 7\nextensions = [".txt", ".md"]\nchunk_size = 800\nllm = "gguf"\n')
    sub = tmp_path / "notes" / "deep"
    sub.mkdir(parents=True)
    data = config_json(sub, KIT_CHUNK_SIZE="900")  # found from a folder below it
    assert data["top_k"]["value"] == 7 and data["top_k"]["from"] == f"file {tmp_path / 'kit.toml'}"
    assert data["extensions"]["value"] == [".txt", ".md"]
    assert data["chunk_size"] == {**data["chunk_size"], "value": 900, "from": "env KIT_CHUNK_SIZE"}
    assert data["top_k"]["description"]  # every setting says what it does
    assert data["llm"]["value"] == "gguf"
    option = kit_in(sub, "config", "--json", "--llm", "extractive")
    assert option.returncode == 0 and json.loads(option.stdout)["llm"] == {**data["llm"], "value": "extractive",
                                                                           "from": "option"}


def test_pyproject_tool_kit_is_read_and_other_pyprojects_are_not(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.kit]\ntop_k = 4\n')
    assert config_file(tmp_path) == tmp_path / "pyproject.toml"
    assert config_json(tmp_path)["top_k"]["value"] == 4
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "y"\n')  # no [tool.kit]: not a kit config
    assert config_file(other) == tmp_path / "pyproject.toml"


@pytest.mark.parametrize(("text", "expected"), [
    ("top_k = = 3\n", "not valid TOML"),
    ("topk = 3\n", "unknown setting 'topk'; did you mean 'top_k'?"),
    ('top_k = "many"\n', "top_k:"),
    ('extensions = "txt"\n', "extensions:"),
])
def test_a_broken_kit_toml_is_one_line_naming_it(tmp_path: Path, text: str, expected: str) -> None:
    toml = tmp_path / "kit.toml"
    toml.write_text(text)
    (tmp_path / "a.txt").write_text("Some text about kit configuration files. " * 5)
    for args in (["config"], ["ingest", "a.txt"]):
        run = kit_in(tmp_path, *args)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        (line,) = run.stderr.strip().splitlines()
        assert expected in line and str(toml) in line, line
    assert not (tmp_path / ".kit").exists()  # nothing written


def test_settings_built_from_explicit_values_read_no_file(tmp_path: Path) -> None:
    (tmp_path / "kit.toml").write_text("top_k = = broken\n")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert Settings.load(environ={}, top_k=2).top_k == 2  # a caller rebuilding known settings
        with pytest.raises(ConfigError, match=r"kit\.toml"):
            Settings.load()
    finally:
        os.chdir(cwd)
