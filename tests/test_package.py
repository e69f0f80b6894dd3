"""The built wheel is complete: installed into a fresh virtual environment (not editable, run
from a folder with no checkout in sight), kit answers a question offline and through an
OpenAI-compatible server, reading only what the package carries (prompts, calibration, schema).

The fresh environment borrows this environment's third-party packages through a .pth line, so
nothing is downloaded; kit itself comes only from the wheel."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SEEDS, kit_free_env
from tests.llm_server import FakeOpenAI
from tests.test_llm import answering_sentence

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How many cruise missiles did Russia launch on Friday?"


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    # Without PYTHONPATH: the installed wheel, not a checkout named there, must be what runs.
    env = {k: v for k, v in (env or kit_free_env()).items() if k != "PYTHONPATH"}
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("package")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(ROOT)],
        cwd=work)
    (wheel,) = work.glob("kit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("kit/prompt_files/answer.yaml", "kit/calibration/abstention.json", "kit/calibration/support.json",
                   "kit/schema.json"):
        assert needed in names, needed
    env_dir = work / "venv"
    run([sys.executable, "-m", "venv", str(env_dir)], cwd=work)
    python = env_dir / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], cwd=work)
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work)
                   .strip())
    (purelib / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return env_dir


def kit_json(venv: Path, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Any:
    return json.loads(run([str(venv / "bin" / "kit"), *args, "--json"], cwd=cwd, env=env))


@pytest.mark.slow
def test_installed_wheel_answers_offline_and_through_a_server(venv: Path, tmp_path: Path) -> None:
    where = run([str(venv / "bin" / "python"), "-c", "import kit; print(kit.__file__)"], cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(venv) and not Path(where.strip()).is_relative_to(ROOT)
    store = str(tmp_path / "store")
    kit_json(venv, ["ingest", str(SEEDS), "--store", store], cwd=tmp_path)
    offline = kit_json(venv, ["ask", QUESTION, "--store", store], cwd=tmp_path)
    assert offline["mode"] == "extractive" and not offline["abstained"] and offline["claims"]

    def reply(request: dict[str, Any]) -> str:  # a model quoting the passage sentence that answers QUESTION
        key, sentence = answering_sentence(request)
        return json.dumps({"answer": f"{sentence} [{key}]", "quotes": [{"passage": key, "quote": sentence}]})

    with FakeOpenAI(reply) as server:
        env = {**kit_free_env(), "KIT_LLM_BASE_URL": server.base_url, "KIT_LLM_MODEL": "test-model"}
        answer = kit_json(venv, ["ask", QUESTION, "--store", store], cwd=tmp_path, env=env)
    system = server.requests[0]["messages"][0]["content"]
    assert "only the passages" in system  # the packaged answer prompt was sent
    assert answer["mode"] == "llm" and answer["claims"] and answer["traces"][0]["prompt"] == "answer"
    assert os.environ.get("KIT_LLM") is None  # the base URL alone chose the backend
