"""Prompt files: every one loads from inside the package, declared and used variables match,
rendering fills every variable, and a malformed file is a clear PromptError."""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.errors import PromptError
from kit.llm.prompts import PROMPT_DIR, all_prompts, load_prompt


def test_every_prompt_ships_inside_the_package_and_loads() -> None:
    assert PROMPT_DIR.resolve().is_dir() and PROMPT_DIR.is_relative_to(Path(kit.__file__).parent)
    names = {p.name for p in all_prompts()}
    assert names == {"answer", "entail", "followup", "judge", "summarize_map", "summarize_reduce", "topic_label"}
    for prompt in all_prompts():
        assert prompt.version >= 1 and prompt.system.strip() and prompt.template.strip()


def test_rendering_fills_every_variable_and_keeps_json_braces() -> None:
    prompt = load_prompt("answer")
    system, user = prompt.render(question="Q?", passages="<passage key=\"1\">x</passage>")
    assert "Q?" in user and "$" not in user + system
    assert '{"claims": [{"text":' in user  # string.Template: JSON examples need no escaping


def test_missing_or_extra_values_are_refused() -> None:
    prompt = load_prompt("topic_label")
    with pytest.raises(PromptError, match="missing"):
        prompt.render(keywords="a")
    with pytest.raises(PromptError, match="unexpected"):
        prompt.render(keywords="a", passages="b", extra="c")


@pytest.mark.parametrize("body, fragment", [
    ("name: x\nversion: 1\nsystem: s\ntemplate: t $a\nvariables: []\n", "declared variables"),
    ("name: x\nversion: 1\nsystem: s\nvariables: []\n", "missing key 'template'"),
    ("name: [unclosed\n", "not valid YAML"),
])
def test_malformed_prompt_files_are_named(tmp_path: Path, body: str, fragment: str) -> None:
    (tmp_path / "bad.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(PromptError, match=fragment) as info:
        load_prompt("bad", tmp_path)
    assert "bad.yaml" in str(info.value)
