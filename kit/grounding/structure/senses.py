"""Whether two verbs can name one event, read from WordNet 3.0's verb senses.

Two verbs are related when a sense of one is a sense of the other ("free" / "release"), lies above
it ("rebuke" is a way to "criticize", "toll" a way to "ring"), shares the sense just above it
("stretch" / "expand", "drop" / "end"), or entails, causes or is grouped with it ("snore" /
"sleep"). "Discover" and "explode", "host" and "attend", "revise" and "present" share no such
link: of two events with the same participants, one said in the quote and the other in the claim,
the claim says something else happened. The table (`verb_senses.txt`, built by
`bench/build_verbs.py`) ships inside kit; a verb it does not hold is never called unrelated.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("verb_senses.txt")


@cache
def _table() -> tuple[dict[str, str], dict[str, str]]:
    """The table's lines by verb and by sense, each read only when asked for (`_senses`, `_links`)."""
    verbs: dict[str, str] = {}
    links: dict[str, str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        kind, _, rest = line.partition(" ")
        key, _, value = rest.partition(" ")
        if kind == "w":
            verbs[key] = value
        elif kind == "s":
            links[key] = value
    return verbs, links


def _offsets(field: str) -> tuple[str, ...]:
    return () if field == "-" else tuple(field.split(","))


def _senses(verb: str) -> tuple[str, ...] | None:
    found = _table()[0].get(verb.replace(" ", "_"))
    return None if found is None else _offsets(found)


@cache
def _links(sense: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the senses just above `sense`, the senses it entails, causes or is grouped with)."""
    up, _, linked = _table()[1].get(sense, "- -").partition(" ")
    return _offsets(up), _offsets(linked)


def known(verb: str) -> bool:
    """Whether WordNet holds `verb` (a lemma; "play down" with its particle)."""
    return _senses(verb) is not None


@cache
def _above(sense: str) -> frozenset[str]:
    """The sense and every sense above it."""
    out, todo = {sense}, [sense]
    while todo:
        for up in _links(todo.pop())[0]:
            if up not in out:
                out.add(up)
                todo.append(up)
    return frozenset(out)


def related(a: str, b: str) -> bool:
    """Whether verbs `a` and `b` (lemmas) can name one event: a shared sense, one above the other,
    a shared sense just above both, or an entailment, cause or verb-group link between their senses.
    True when either is unknown."""
    sa, sb = _senses(a), _senses(b)
    if sa is None or sb is None:
        return True
    for x in sa:
        for y in sb:
            (x_up, x_linked), (y_up, y_linked) = _links(x), _links(y)
            if y in _above(x) or x in _above(y) or y in x_linked or x in y_linked or set(x_up) & set(y_up):
                return True
    return False
