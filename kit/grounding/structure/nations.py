"""The nation a participant is said to belong to, and two participants of different nations.

"British forces" and "Iranian forces" are two participants, though both are "forces": who
captured whom is told by the nation. A participant belongs to a nation by an adjective of nation
before it ("Iranian authorities", "Iran's forces"), or by being the nation or its people ("Britain",
"the UK", "the Iranians"). Nations and their adjectives are those of `nations.txt`: a region,
a continent, a faith or a city tells no nation here ("European", "Western", "Tehran").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from spacy.tokens import Token

TABLE = Path(__file__).with_name("nations.txt")


def nations_differ(a: Token, b: Token) -> bool:
    """Whether `a` and `b` each belong to a nation and share none ("British sailors" / "Iranian
    sailors", "Britain" / "Iranian authorities")."""
    na, nb = nations_of(a), nations_of(b)
    return bool(na and nb) and not na & nb


def nations_of(tok: Token) -> frozenset[str]:
    """The nations of a participant: of its adjectives and possessors of nation, and its own when
    it names a nation or its people."""
    # A compound names a nation before a common noun ("US officials"), not inside a name ("Chad Smith").
    found = {_nation(c) for c in tok.children
             if c.dep_ in ("amod", "poss") or (c.dep_ == "compound" and tok.pos_ != "PROPN")}
    found.add(_nation(tok))
    return frozenset(n for n in found if n)


def _nation(t: Token) -> str:
    """The nation a capitalised word (with the name words compounded with it) names, or ""."""
    if not t.text[:1].isupper():
        return ""
    parts = [c for c in t.children if c.dep_ == "compound" and c.text[:1].isupper()]
    if parts:  # "United States", not the "Jordan" of "Michael Jordan"
        return _table().get(" ".join(p.lower_ for p in [*parts, t]), "")
    if t.lower_ == "us" and t.text != "US":
        return ""
    return _table().get(t.lower_) or _table().get(t.lemma_.lower(), "")


@cache
def _table() -> dict[str, str]:
    """Each name and adjective of `nations.txt` -> the nation's first name."""
    out: dict[str, str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names, adjectives = line.split(":")
        words = [w.strip() for w in [*names.split(","), *adjectives.split(",")]]
        out.update({w: words[0] for w in words})
        named = len(names.split(","))
        out.update({w + "s": words[0] for w in words[named:] if w.endswith("an")})  # "Iranians"
    return out
