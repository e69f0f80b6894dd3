"""What the CLI prints carries no live control character: file names, topic names, document
text and the values named in error messages may hold ANSI escape sequences, carriage returns
and other C0/C1 controls, which must never reach the terminal as such. One function
(`kit.terminal.safe`) does it, on every print path of the CLI; JSON output stays valid JSON
with the same data."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from kit.cli import main
from kit.terminal import safe
from tests.helpers import SEEDS

ESC = "\x1b[2J\x1b[31m\r"  # clear the screen, turn red, go back to the start of the line
LIVE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CLI = Path(__file__).resolve().parents[1] / "kit" / "cli"


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain text", "plain text"),
    ("a\x1b[31mred\x1b[0m b", "ared b"),
    ("x\rover", "xover"),
    ("title\x1b]0;owned\x07 end", "title end"),
    ("link \x1b]8;;http://evil\x1b\\here\x1b]8;;\x1b\\", "link here"),
    ("bell\x07 nul\x00 bs\x08", "bell nul bs"),
    ("csi \x9b2J del \x7f", "csi \\u009b2J del \\u007f"),
    ("lone \ud800", "lone \\ud800"),
    ("lines\nand\ttabs stay", "lines\nand\ttabs stay"),
    ("Pay \u202eevil", "Pay \u202eevil"),  # bidi: the renderer shows it escaped; not this module's job
])
def test_safe_removes_sequences_and_controls(raw: str, shown: str) -> None:
    assert safe(raw) == shown


def test_safe_json_stays_the_same_json() -> None:
    data = {"quote": "x\x9by\x7f\x1b[2J\ud800", "path": f"e{ESC}.txt"}
    text = json.dumps(data, ensure_ascii=False)  # what `--json` prints: C0 escaped, C1 and DEL raw
    assert LIVE.search(text) and not LIVE.search(safe(text))
    assert json.loads(safe(text)) == data


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose corpus holds a file named with escapes and text full of them."""
    root = tmp_path_factory.mktemp("terminal")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], docs)
    (docs / f"evil{ESC}name.txt").write_text(
        f"The harbour council {ESC}met on Monday to vote on the \x9b31m budget.\n\n"
        "The budget passed after a vote by the harbour council on Monday evening.\n", encoding="utf-8")
    assert main(["ingest", str(docs), "--store", str(root / ".kit"), "--embedder", "hash", "--no-progress"]) == 0
    return root


COMMANDS = {
    "search": ["search", "harbour council budget"],
    "search --json": ["search", "harbour council budget", "--json"],
    "files": ["files"],
    "files --json": ["files", "--json"],
    "topics": ["topics", "-k", "2"],
    "check": ["check", "The harbour council met on Monday."],
    "check --json": ["check", "The harbour council met on Monday.", "--json"],
    "summarize to stdout": ["summarize", "--topics", "harbour council"],
    "rm of a name with escapes": ["rm", f"x{ESC}y"],
    "ask --file with escapes": ["ask", "q", "--file", f"f{ESC}"],
    "verify of a name with escapes": ["verify", f"v{ESC}.json"],
    "check --from a name with escapes": ["check", "--from", f"d{ESC}"],
    "ingest of a name with escapes": ["ingest", f"n{ESC}"],
    "an option value with escapes": ["search", "x", "--section", f"s{ESC}"],
    "models": ["models"],
    "models --json": ["models", "--json"],
    "models pull of a name with escapes": ["models", "pull", f"m{ESC}"],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_no_command_prints_a_live_control(project: Path, name: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    args = [*COMMANDS[name], "--store", str(project / ".kit"), "--embedder", "hash"]
    code = main(args)
    out, err = capsys.readouterr()
    assert not LIVE.search(out + err), (name, out[:400], err[:400])
    assert out or err
    if "--json" in args:
        assert code == 0 and json.loads(out) is not None


def test_a_topic_name_with_escapes_is_printed_inert(project: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "r.md"
    assert main(["summarize", "--topics", f"t{ESC}opic", "--store", str(project / ".kit"), "--embedder", "hash",
                 "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "not in the documents: topic" in out and not LIVE.search(out)


def test_every_print_of_the_cli_goes_through_one_function() -> None:
    """No `print`, `sys.stdout.write` or `sys.stderr.write` in kit/cli/ but through kit.terminal.say."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in sorted(CLI.glob("*.py"))]
    calls = [node.func for tree in trees for node in ast.walk(tree) if isinstance(node, ast.Call)]
    raw = [ast.unparse(f) for f in calls if (isinstance(f, ast.Name) and f.id == "print")
           or (isinstance(f, ast.Attribute) and f.attr == "write" and "std" in ast.unparse(f.value))]
    assert not raw, raw
    assert sum(isinstance(f, ast.Name) and f.id == "say" for f in calls) >= 30
