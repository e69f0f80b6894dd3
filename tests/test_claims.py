"""Claims from a model's reply: markers attach to the right sentence, a marker without a quote
takes a passage sentence only if it supports the claim, failed citations leave no marker behind
and make their claim unsupported, and citations are numbered for display."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.corpus.files import content_sha256
from kit.corpus.sources import SourceReader
from kit.embeddings import HashEmbedder
from kit.grounding.claims import Draft, Evidence, answer_drafts, build_claims, number_citations
from kit.grounding.support import Judge
from kit.types import Chunk, CitationProblem, Support

DOC = ("Russian jets struck an oil convoy near Palmyra on Friday. Eight fuel trucks were destroyed. "
       "The ministry said the strikes would continue.")


@pytest.fixture
def setup(tmp_path: Path) -> tuple[dict[int, Chunk], Evidence]:
    (tmp_path / "news.txt").write_text(DOC, encoding="utf-8")
    passages = {1: Chunk("c1", "news.txt", 0, len(DOC), "article", DOC, content_sha256(DOC))}
    return passages, Evidence(SourceReader(tmp_path), Judge(HashEmbedder()))


def test_markers_after_the_full_stop_belong_to_the_sentence_before() -> None:
    drafts = answer_drafts("Jets struck a convoy. [1] Eight trucks burned [1][2]. Unmarked.", [(1, "q")])
    assert [(d.text, d.keys) for d in drafts] == [("Jets struck a convoy.", (1,)), ("Eight trucks burned.", (1, 2)),
                                                  ("Unmarked.", ())]
    assert drafts[2].quotes == ((1, "q"),)  # an unmarked sentence is offered every quote


def test_quoted_claims_are_verified_judged_and_numbered(setup: tuple[dict[int, Chunk], Evidence]) -> None:
    passages, evidence = setup
    drafts = [Draft("Eight fuel trucks were destroyed.", (1,), ((1, "Eight fuel trucks were destroyed."),))]
    (claim,), failed = build_claims(drafts, passages, evidence)
    assert claim.support is Support.SUPPORTED and not failed
    c = claim.citations[0]
    assert DOC[c.start:c.end] == c.quote and c.support is Support.SUPPORTED


def test_bare_marker_takes_a_sentence_only_if_it_supports_the_claim(setup: tuple[dict[int, Chunk], Evidence]) -> None:
    passages, evidence = setup
    drafts = [Draft("Eight fuel trucks were destroyed.", (1,), ()), Draft("Zebras migrate north.", (1,), ())]
    (good, zebras), _ = build_claims(drafts, passages, evidence)
    assert good.support is Support.SUPPORTED and good.citations[0].quote == "Eight fuel trucks were destroyed."
    assert zebras.support is Support.UNSUPPORTED and zebras.citations == () and zebras.reasons == ("no citation",)


def test_failed_citations_leave_their_claim_unsupported_and_say_why(setup: tuple[dict[int, Chunk], Evidence]) -> None:
    passages, evidence = setup
    drafts = [Draft("Jets struck a convoy.", (9,), ((9, "Jets struck"),)),
              Draft("Jets struck a train.", (1,), ((1, "Jets struck a train near Homs."),))]
    (invented, made_up), failed = build_claims(drafts, passages, evidence)
    assert invented.reasons == ("cites passage [9], which it was not given",)
    assert made_up.support is Support.UNSUPPORTED
    assert {(c.key, c.problem) for c in failed} == {(9, CitationProblem.INVENTED_KEY),
                                                    (1, CitationProblem.NOT_IN_PASSAGE)}


def test_a_changed_source_makes_the_claim_unsupported_with_the_cause(setup: tuple[dict[int, Chunk], Evidence],
                                                                    tmp_path: Path) -> None:
    passages, evidence = setup
    (tmp_path / "news.txt").write_text(DOC.replace("Eight", "Nine"), encoding="utf-8")
    drafts = [Draft("Eight fuel trucks were destroyed.", (1,), ((1, "Eight fuel trucks were destroyed."),))]
    fresh = Evidence(SourceReader(tmp_path), evidence.judge)
    (claim,), failed = build_claims(drafts, passages, fresh)
    assert claim.support is Support.UNSUPPORTED and failed[0].problem is CitationProblem.SOURCE_CHANGED
    assert claim.reasons == ("its source file news.txt changed since it was ingested",)


def test_citations_are_numbered_in_order_of_use_shown_claims_first(setup: tuple[dict[int, Chunk], Evidence]) -> None:
    passages, evidence = setup
    drafts = [Draft("Zebras migrate north.", (1,), ((1, "The ministry said the strikes would continue."),)),
              Draft("The ministry said the strikes would continue.", (1,),
                    ((1, "The ministry said the strikes would continue."),)),
              Draft("Eight fuel trucks were destroyed.", (1,), ((1, "Eight fuel trucks were destroyed."),))]
    claims, _ = build_claims(drafts, passages, evidence)
    numbered = number_citations(claims)
    assert [c.keys for c in numbered] == [[1], [1], [2]]  # the zebra claim cites the span numbered 1 too
    assert numbered[0].support is Support.UNSUPPORTED


def test_a_quote_not_in_its_passage_is_never_replaced_by_kits_choice(setup: tuple[dict[int, Chunk], Evidence]
                                                                    ) -> None:
    """A model (obeying an injected instruction, say) cites a sentence that is not in its passage for a
    claim the passage does state elsewhere: the claim stays unsupported, its failed quote is reported,
    and kit does not pick a sentence of its own to make it look cited."""
    passages, evidence = setup
    drafts = [Draft("Eight fuel trucks were destroyed.", (1,), ((1, "Official sources confirm it."),))]
    (claim,), failed = build_claims(drafts, passages, evidence)
    assert claim.support is Support.UNSUPPORTED and claim.citations == ()
    assert [(c.key, c.problem) for c in failed] == [(1, CitationProblem.NOT_IN_PASSAGE)]


def test_an_answer_whose_claims_are_all_partial_shows_them_flagged() -> None:
    from kit.report.text import answer_text
    from kit.results import Answer
    from kit.types import Citation, Claim, Mode

    cite = Citation(1, "news.txt", 0, 10, "article", "They were destroyed.", support=Support.PARTIAL)
    claim = Claim("Eight fuel trucks were destroyed.", (cite,), Support.PARTIAL, ("a name is in the passage",))
    answer = Answer("What was destroyed?", [claim], Mode.LLM, "scripted")
    assert not answer.abstained and answer.shown == [claim]
    assert "partly supported" in answer_text(answer) and answer.NOT_FOUND not in answer_text(answer)


@pytest.mark.parametrize("quote, repaired", [
    ("russian jets struck an oil convoy near palmyra", True),  # letter case only
    ("Russian jets struck an convoy near Palmyra on Friday.", True),  # one inner word left out
    ("Eight trucks were destroyed.", False),  # a number word left out changes what it says
    ("jets struck convoy", False),  # too short to tell which stretch one word short it copies
    ("Russian jets bombed an oil convoy near Palmyra.", False),  # a word changed: not a copying slip
])
def test_only_copying_slips_are_repaired(quote: str, repaired: bool) -> None:
    from kit.grounding.repair import repair_quote

    found = repair_quote(DOC, quote)
    assert (found is not None) == repaired
    if found is not None:
        assert DOC[found.start:found.end].lower().startswith(quote.split()[0].lower())
