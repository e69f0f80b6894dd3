"""A claim that names the document as its speaker asserts only what follows the frame."""

from __future__ import annotations

import pytest

from kit.embeddings import HashEmbedder
from kit.grounding.support import Judge
from kit.grounding.voice import unframed
from kit.types import Support


@pytest.mark.parametrize(("claim", "rest"), [
    ("The article says the bridge reopened in May.", "The bridge reopened in May."),
    ("According to the report, the bridge reopened in May.", "The bridge reopened in May."),
    ("One commenter wrote that the bridge reopened in May.", "The bridge reopened in May."),
    ("The post's headline says the bridge reopened in May.", "The bridge reopened in May."),
    ("The news story notes that the bridge reopened in May.", "The bridge reopened in May."),
    ("The bridge reopened in May, according to the article.", "The bridge reopened in May."),
    ("The bridge reopened in May, the report says.", "The bridge reopened in May."),
    ("The article highlights the debate over the bridge's reopening.", "The debate over the bridge's reopening."),
])
def test_the_document_as_speaker_is_set_aside(claim: str, rest: str) -> None:
    assert unframed(claim) == rest


@pytest.mark.parametrize("claim", [
    "The Danish report says the bridge reopened in May.",  # a named report is a source the quote must give
    "The ministry said the bridge reopened in May.",
    "The report was published in May.",
    "The article says.",
    "The bridge reopened in May, according to the Danish report.",
    "The bridge reopened, according to the article, in May.",  # a frame inside the sentence is left
    "It reopened, the article says.",  # nothing would be left to judge
])
def test_other_speakers_and_sentences_are_kept(claim: str) -> None:
    assert unframed(claim) == claim


def test_a_framed_claim_is_judged_on_what_it_asserts() -> None:
    judge = Judge(HashEmbedder())
    quote = "The bridge over the Elbe reopened in May after two years of repairs."
    assert judge.judge("The article says the bridge over the Elbe reopened in May.", [quote]).support \
        is Support.SUPPORTED
    assert judge.judge("The article says the bridge over the Elbe reopened in June.", [quote]).support \
        is Support.UNSUPPORTED
