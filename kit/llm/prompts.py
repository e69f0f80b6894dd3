"""Load and render the prompt files in `prompts/`, and the passages a prompt shows as data.

Each YAML file holds name, version, system, template, the declared variables and sentinels
(such as the refusal phrase). Templates use `string.Template` (`$question`), so JSON examples
need no escaping. Loading checks that declared and used variables match, both ways.
"""

from __future__ import annotations

import html
import string
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from kit.errors import PromptError
from kit.text import escaped, sentences
from kit.types import Chunk, Hit

# Inside the package, so an installed kit has them; in a checkout it links to prompts/.
PROMPT_DIR = Path(__file__).resolve().parent.parent / "prompt_files"


@dataclass(frozen=True)
class Prompt:
    """A versioned prompt with its declared variables."""

    name: str
    version: int
    system: str
    template: str
    variables: tuple[str, ...]
    sentinels: dict[str, str] = field(default_factory=dict)

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) messages with every declared variable filled in."""
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise PromptError(f"prompt {self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        system = string.Template(self.system).safe_substitute(values)
        return system, string.Template(self.template).substitute(values)


def used_variables(text: str) -> set[str]:
    found = set()
    for match in string.Template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if name:
            found.add(name)
    return found


@lru_cache(maxsize=32)
def load_prompt(name: str, directory: Path = PROMPT_DIR) -> Prompt:
    """Load `prompts/<name>.yaml` and check its variables."""
    path = directory / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PromptError(f"no prompt file {path}") from None
    except yaml.YAMLError as exc:
        raise PromptError(f"{path} is not valid YAML: {exc}") from None
    return _build(path, data)


def _build(path: Path, data: dict[str, object]) -> Prompt:
    for key in ("name", "version", "system", "template", "variables"):
        if key not in data:
            raise PromptError(f"{path}: missing key {key!r}")
    declared = tuple(str(v) for v in data["variables"])  # type: ignore[attr-defined]  # YAML list
    used = used_variables(str(data["system"])) | used_variables(str(data["template"]))
    if set(declared) != used:
        raise PromptError(f"{path}: declared variables {sorted(declared)} but the text uses {sorted(used)}")
    sentinels = {str(k): str(v) for k, v in dict(data.get("sentinels") or {}).items()}  # type: ignore[call-overload]
    return Prompt(str(data["name"]), int(data["version"]), str(data["system"]),  # type: ignore[call-overload]
                  str(data["template"]), declared, sentinels)


def all_prompts(directory: Path = PROMPT_DIR) -> list[Prompt]:
    return [load_prompt(p.stem, directory) for p in sorted(directory.glob("*.yaml"))]


def passage_block(chunk: Chunk, key: int) -> str:
    """One passage as a prompt shows it: a delimited data block under its key. Escaping keeps a
    document from closing the block and posing as instructions."""
    return f"{_opening(chunk, key)}{escaped(chunk.text)}\n</passage>\n"


def _opening(chunk: Chunk, key: int) -> str:
    """A passage block's opening tag, its attributes escaped (a path or heading is the document's text)."""
    return f'<passage key="{key}" source="{html.escape(chunk.path)}" section="{html.escape(chunk.section)}">\n'


def render_passages(hits: Sequence[Hit]) -> str:
    """Passages as delimited data blocks, keyed 1..n in hit order."""
    return "".join(passage_block(h.chunk, key) for key, h in enumerate(hits, 1)).rstrip("\n")


# Stands in a numbered passage for sentences left out of the prompt.
GAP = "(...)"


def passage_sentences(chunk: Chunk) -> list[str]:
    """A passage's sentences as the answer prompt numbers them: sentence n is item n - 1. A model
    names a sentence by its number, and the quote is kit's own copy of it, so it can only be real."""
    return [s.text for s in sentences(chunk.text)]


def numbered_block(chunk: Chunk, key: int, shown: Collection[int] | None = None) -> str:
    """One passage with a number before each sentence, one sentence a line (escaped as
    `passage_block` escapes). `shown`: the numbers of the sentences to show (None: all); each run
    of sentences left out is one GAP line, and the others keep their numbers."""
    lines: list[str] = []
    for n, text in enumerate(passage_sentences(chunk), 1):
        if shown is None or n in shown:
            lines.append(f"({n}) {escaped(' '.join(text.split()))}")
        elif not lines or lines[-1] != GAP:
            lines.append(GAP)
    return _opening(chunk, key) + "\n".join(lines) + "\n</passage>\n"


def render_numbered_passages(hits: Sequence[Hit], shown: Mapping[str, Collection[int]] | None = None) -> str:
    """Passages keyed 1..n in hit order, their sentences numbered 1..m within each; `shown`, by
    chunk id, the sentences shown of a trimmed passage."""
    return "".join(numbered_block(h.chunk, key, (shown or {}).get(h.chunk.id))
                   for key, h in enumerate(hits, 1)).rstrip("\n")
