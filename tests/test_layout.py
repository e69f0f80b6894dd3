"""The layout stays readable: one package per pipeline stage, arrows between stages pointing down,
no import circle but the renderer's, no private name imported across modules, small modules.

The imports are read from the source with `ast` (imports inside functions included), so a circle
closed by a lazy import counts as a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent / "kit"
# Bottom to top: a stage package may import the ones before it, never the ones after.
STAGES = ["corpus", "store", "ingest", "llm", "grounding", "answer", "topics", "integrations"]
# Top-level modules used by every stage; they import no stage package (embeddings reaches the
# OpenAI client of llm only inside the function that builds the OpenAI embedder).
SHARED = {"config", "errors", "types", "report", "location", "text", "numbers", "secrets", "offline", "terminal",
          "progress", "crash", "embeddings", "calibration", "evaluate", "findings"}
# The one renderer (kit.report.*) is imported lazily by what it renders (types, results); the plain data
# it renders as part of them (findings) sits in that circle through kit.types.
RENDERED = {"kit.types", "kit.results", "kit.results.answer", "kit.results.check", "kit.results.claims",
            "kit.results.topics", "kit.findings"}
MAX_LINES = 450
MAX_TOP_LEVEL = 20


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(KIT.rglob("*.py")):
        parts = path.relative_to(KIT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every kit import in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kit":
            yield node.module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "kit":
                    yield alias.name, [], node.lineno


def graph() -> dict[str, set[str]]:
    mods = modules()
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for target, names, _ in imports(path):
            for full in [f"{target}.{n}" for n in names] + [target]:
                if full in mods and full != name:
                    edges[name].add(full)
                    break
    return edges


def circles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in edges:
        if v not in index:
            visit(v)
    return found


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else None


def test_no_import_circle_but_the_renderers() -> None:
    found = circles(graph())
    assert all(all(m in RENDERED or m.startswith("kit.report.") for m in c) for c in found), found


def test_arrows_between_stages_point_down() -> None:
    wrong = []
    for source, targets in graph().items():
        for target in targets:
            a, b = stage(source), stage(target)
            if a in STAGES and b in STAGES and a != b and STAGES.index(b) > STAGES.index(a):
                wrong.append(f"{source} -> {target}")
    assert not wrong, wrong


def test_shared_modules_import_no_stage_package_at_load() -> None:
    wrong = []
    for name, path in modules().items():
        if name.split(".")[-1] not in SHARED or name.count(".") != 1:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: a lazy import inside a function is allowed
            if isinstance(node, ast.ImportFrom) and node.module and stage(node.module) in STAGES:
                wrong.append(f"{name} -> {node.module}")
    assert not wrong, wrong


def test_no_private_name_is_imported_across_modules() -> None:
    wrong = [f"{path.name}:{line} imports {n} from {target}"
             for path in modules().values() for target, names, line in imports(path)
             for n in names if n.startswith("_") and not n.startswith("__")]
    assert not wrong, wrong


def test_modules_are_small_and_the_top_level_is_short() -> None:
    big = {name: n for name, path in modules().items()
           if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, big
    top = [p for p in KIT.glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= MAX_TOP_LEVEL, sorted(p.name for p in top)
    assert {p.name for p in KIT.iterdir() if (p / "__init__.py").exists()} >= set(STAGES)
