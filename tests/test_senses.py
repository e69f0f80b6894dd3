"""WordNet's verb senses as kit ships them (kit/grounding/structure/verb_senses.txt)."""

from __future__ import annotations

import pytest

from kit.grounding.structure import senses


@pytest.mark.parametrize("a, b", [
    ("free", "release"),  # one sense
    ("rebuke", "criticize"),  # a way to criticize
    ("toll", "ring"),
    ("criticize", "rebuke"),  # either way round
    ("play down", "downplay"),  # a verb with its particle
])
def test_verbs_that_can_name_one_event_are_related(a: str, b: str) -> None:
    assert senses.related(a, b)


@pytest.mark.parametrize("a, b", [("discover", "explode"), ("host", "attend"), ("revise", "present"),
                                  ("reprimand", "suspend"), ("leak", "broadcast")])
def test_verbs_of_other_events_are_not(a: str, b: str) -> None:
    assert not senses.related(a, b)


def test_a_verb_the_table_lacks_is_never_called_unrelated() -> None:
    assert not senses.known("frobnicate")
    assert senses.related("frobnicate", "explode")


def test_the_table_ships_inside_the_package_with_its_licence() -> None:
    assert senses.TABLE.parent.name == "structure" and senses.TABLE.parent.parent.name == "grounding"
    assert "Princeton University" in senses.TABLE.read_text(encoding="utf-8")[:2000]
