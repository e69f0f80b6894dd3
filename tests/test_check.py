"""`kit check`: each sentence of a text checked against the store, with its best quote verified
at its span in the file, a verdict and a score; bad input is one line and exit 1, and the store
is only read. The store is the seeds on the hashing embedder (`hash_seeds`)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kit.api import Kit
from kit.cli import main
from kit.embeddings import HashEmbedder
from kit.errors import InputError
from kit.grounding.check import MAX_SENTENCE_CHARS, NOT_IN_DOCUMENTS, best_of, rank, score_of
from kit.grounding.structure.links import link_cues
from kit.grounding.support import Judge, Judgement, Signals
from kit.report import check_html, check_markdown
from kit.results import CheckResult
from kit.types import CheckedClaim, CitationProblem, Claim, QuoteCheck, Support
from tests.helpers import SEEDS, open_hash

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "kit" / "schema.json").read_text(encoding="utf-8"))
FAITHFUL = "Russian warplanes flew 126 combat sorties on Wednesday."  # 002 says "flew 126 combat sorties Wednesday"
INVENTED = "The Eiffel Tower was moved to Berlin in 2015."
SOURCE = "002_0f7b4c98e858c67a.txt"  # the seed that holds FAITHFUL
OTHER = "000_4ccec8e6033855b4.txt"
# Ten sentences, interleaved: the seeds state the ones marked True (reworded), not the others.
DRAFT = [
    ("Penguins elected a new mayor of Antarctica last Tuesday.", False),
    ("The Russian military fired 18 cruise missiles on Friday.", True),
    (FAITHFUL, True),
    (INVENTED, False),
    ("Obama welcomed the intensified air campaign by the Russians.", True),
    ("The Brazilian navy fired 4203 torpedoes at Lisbon.", False),
    ("The IS lost more than 80 terrorists and 36 cars.", True),
    ("Norway won the football world cup in 1994.", False),
    ("The first convoy of terrorists from Raqqa was destroyed on May 25.", True),
    ("The volcano on Iceland erupted twice in March 2003.", False),
]


def valid(data: Any, kind: str) -> Any:
    jsonschema.validate(data, {**SCHEMA, "$ref": f"#/$defs/{kind}"})
    return data


def stored(k: Kit, name: str) -> str:
    """The store's name of a seed file."""
    return next(f.path for f in k.files().files if f.path.endswith(name))


def assert_at_span(k: Kit, result: CheckResult) -> None:
    """Every citation's quote is what the file holds at its span, re-read from disk."""
    for c in result.citations:
        raw = (k.location.base / c.path).read_text(encoding="utf-8")
        assert raw[c.start:c.end] == c.quote and c.check is QuoteCheck.EXACT, c


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(store: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *argv, "--store", str(store), "--embedder", "hash"])
    out, err = capsys.readouterr()
    return code, out, err


# -- the library -------------------------------------------------------------------------------

def test_a_faithful_sentence_is_supported_by_a_quote_at_its_span(hash_seeds: Path) -> None:
    k = open_hash(hash_seeds)
    result = k.check(FAITHFUL)
    [claim] = result.claims
    assert claim.text == FAITHFUL and claim.support is Support.SUPPORTED and claim.reasons == ()
    [cite] = claim.citations
    assert cite.path.endswith(SOURCE) and "126 combat sorties Wednesday" in cite.quote
    assert cite.support is Support.SUPPORTED and 0 < claim.score <= 1  # the judge's calibrated score
    assert_at_span(k, result)
    assert result.provenance is not None and set(result.provenance.files) == {cite.path}


def test_an_invented_sentence_is_not_supported(hash_seeds: Path) -> None:
    result = open_hash(hash_seeds).check(f"{INVENTED} {FAITHFUL}")
    invented, faithful = result.claims
    assert invented.support is Support.UNSUPPORTED and invented.reasons
    assert invented.score < faithful.score
    assert faithful.support is Support.SUPPORTED  # one bad sentence does not taint the next


def test_a_sentence_nothing_bears_on_is_not_in_the_documents(hash_seeds: Path) -> None:
    [claim] = open_hash(hash_seeds).check("Zyxwv qwertz plomb.").claims
    assert claim.support is Support.UNSUPPORTED and claim.reasons == (NOT_IN_DOCUMENTS,)
    assert claim.citations == () and claim.score == 0


def test_files_restrict_the_evidence(hash_seeds: Path) -> None:
    k = open_hash(hash_seeds)
    within = k.check(FAITHFUL, files=[stored(k, SOURCE)])
    assert within.claims[0].support is Support.SUPPORTED and within.files == [stored(k, SOURCE)]
    elsewhere = k.check(FAITHFUL, files=[stored(k, OTHER)])
    assert elsewhere.claims[0].support is not Support.SUPPORTED
    assert all(c.path == stored(k, OTHER) for c in elsewhere.citations)
    assert "only 1 file" in elsewhere.disclaimer
    on_disk = k.check(FAITHFUL, files=[str(SEEDS / SOURCE)])  # a path on disk names its stored file
    assert on_disk.files == [stored(k, SOURCE)]


def test_a_ten_sentence_draft_is_checked_in_order(hash_seeds: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    k = open_hash(hash_seeds)
    result = k.check("\n".join(text for text, _ in DRAFT))
    assert [c.text for c in result.claims] == [text for text, _ in DRAFT]
    assert [c.support is Support.SUPPORTED for c in result.claims] == [true for _, true in DRAFT]
    true = [c.score for c, (_, t) in zip(result.claims, DRAFT, strict=True) if t]
    assert min(true) > max(c.score for c, (_, t) in zip(result.claims, DRAFT, strict=True) if not t)
    assert result.claims[0].citations  # an unsupported sentence shows its closest quote...
    firsts = list(dict.fromkeys(c.key for claim in result.claims for c in claim.citations))
    assert firsts == list(range(1, len(firsts) + 1))  # ...numbered in the order of the text
    assert_at_span(k, result)
    draft = tmp_path / "draft.md"
    # Markdown: a heading is no claim, and a list mark is no part of one.
    draft.write_text("# Draft\n\n" + " ".join(text for text, _ in DRAFT[:5]) + "\n\n## More\n\n"
                     + "".join(f"- {text}\n" for text, _ in DRAFT[5:]), encoding="utf-8")
    code, out, _ = run(hash_seeds, ["--from", str(draft), "--json"], capsys)
    data = valid(json.loads(out), "Check")
    assert code == 0 and isinstance(data, dict)
    assert [c["text"] for c in data["claims"]] == [text for text, _ in DRAFT]
    assert data["counts"]["supported"] == 5
    only_headings = tmp_path / "headings.md"
    only_headings.write_text("# Draft\n\n## To do\n", encoding="utf-8")
    code, _, err = run(hash_seeds, ["--from", str(only_headings)], capsys)
    assert code == 1 and "no sentences (only headings or marks)" in err and "Traceback" not in err


def test_a_quote_no_longer_in_its_file_fails_its_check(copy_seeds: Callable[..., Path],
                                                      make_kit: Callable[..., Kit]) -> None:
    docs = copy_seeds()
    k = make_kit()
    k.ingest(docs)
    source = docs / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("126 combat sorties", "126 combat flights"),
                      encoding="utf-8")
    result = k.check(FAITHFUL)
    [claim] = result.claims
    assert claim.support is Support.UNSUPPORTED and claim.citations == () and claim.score == 0
    assert any("changed since it was ingested" in r for r in claim.reasons), claim.reasons
    assert [c.problem for c in result.failed] == [CitationProblem.SOURCE_CHANGED]
    assert result.notes and "run `kit ingest`" in result.notes[0]


def test_spans_rank_by_verdict_then_by_the_judges_score() -> None:
    judged = [Judgement(Support.SUPPORTED, (), {}, score=0.2), Judgement(Support.PARTIAL, (), {}, score=0.9),
              Judgement(Support.UNSUPPORTED, (), {}, score=0.95), Judgement(Support.SUPPORTED, (), {}, score=0.6)]
    assert sorted(judged, key=rank, reverse=True) == [judged[3], judged[0], judged[1], judged[2]]
    assert score_of(judged[3]) == 0.6 and score_of(Judgement(Support.SUPPORTED, (), {}, score=7.0)) == 1.0
    assert score_of(Judgement(Support.SUPPORTED, (), {})) == 0.0  # no score: no claim to a probability


# -- surfaces ----------------------------------------------------------------------------------

def test_text_output_gives_verdict_score_quote_span_and_totals(hash_seeds: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(hash_seeds, [f"{FAITHFUL} {INVENTED}"], capsys)
    assert code == 0 and err == ""
    first, second = out.split("\n2. ")
    assert re.match(rf'1\. supported \(score [01]\.\d\d\): "{re.escape(FAITHFUL)}"', first) and f"{SOURCE} [" in first
    assert "quote exact, supported" in first and "126 combat sorties Wednesday" in first
    assert second.startswith("NOT SUPPORTED (score ") and "why: " in second
    assert out.rstrip().endswith("2 sentences; claims: 1 supported, 0 partial, 1 not supported")


def test_json_matches_the_schema_and_kit_verify_accepts_it(hash_seeds: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(hash_seeds, [f"{FAITHFUL} {INVENTED}", "--json"], capsys)
    data = valid(json.loads(out), "Check")
    assert code == 0 and isinstance(data, dict)
    assert [c["support"] for c in data["claims"]] == ["supported", "unsupported"]
    assert data["counts"]["supported"] == 1 and data["claims"][0]["score"] > data["claims"][1]["score"]
    with pytest.raises(jsonschema.ValidationError):  # the schema can fail: a claim without its score
        valid({**data, "claims": [{k: v for k, v in data["claims"][0].items() if k != "score"}]}, "Check")
    saved = tmp_path / "check.json"
    code, out, _ = run(hash_seeds, [FAITHFUL, "--out", str(saved)], capsys)
    assert code == 0 and out.startswith(f"wrote {saved}: 1 sentence; claims: 1 supported")
    valid(json.loads(saved.read_text(encoding="utf-8")), "Check")
    assert main(["verify", str(saved), "--embedder", "hash"]) == 0
    assert "all checks pass" in capsys.readouterr().out


def test_reports_highlight_each_sentence_and_escape_everything(hash_seeds: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    hostile = 'A reader wrote <script>alert("x")</script> in the form.'
    result = open_hash(hash_seeds).check(f"{FAITHFUL} {hostile}")
    page = check_html(result)
    assert "<script>alert" not in page and html.escape(hostile) in page
    assert page.count("<span class='kit-supported' title=") == 1
    assert page.count("<span class='kit-unsupported' title=") == 1
    quote = result.claims[0].citations[0].quote
    score = f"{result.claims[0].score:.2f}"
    assert f'title="supported, score {score}; {html.escape(result.claims[0].citations[0].path)}' in page
    assert html.escape(f'"{quote}"') in page and result._repr_html_() == page
    md = check_markdown(result)
    assert f"1. **supported** (score {score}): {FAITHFUL} [1]" in md and "2. **NOT SUPPORTED**" in md
    out = tmp_path / "check.html"
    assert run(hash_seeds, [FAITHFUL, "--out", str(out)], capsys)[0] == 0
    written = out.read_text(encoding="utf-8")
    assert written.startswith("<!doctype html>") and "kit-supported" in written and "<h1>Check</h1>" in written


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "--from FILE" in out and "--file PATH" in out and 'kit check "' in out.split("examples:")[1]


# -- bad input ---------------------------------------------------------------------------------

def bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "big.md").write_text("The harbour reopened on Monday. " * 160_000, encoding="utf-8")  # 5 MB
    (tmp / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    return [
        (["   "], "the text to check is empty"),
        (["--from", str(tmp / "big.md")], "big.md is 5.1 MB, more than kit check reads at once"),
        (["--from", str(tmp / "image.md")], "image.md is not UTF-8 text"),
        (["--from", str(tmp / "missing.md")], "missing.md: no such file"),
        (["--from", str(tmp)], "is a folder"),
        (["word " * 500], f"is 2,499 characters long, more than {MAX_SENTENCE_CHARS:,}"),
        ([FAITHFUL, "--file", "nowhere.txt"], "nowhere.txt: the store holds no file of that name"),
        ([], "give the text to check or --from FILE"),
        ([FAITHFUL, "--from", str(tmp / "big.md")], "give the text to check or --from FILE"),
    ]


def test_bad_input_is_one_line_exit_1_and_leaves_the_store_alone(hash_seeds: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(hash_seeds)
    for argv, fragment in bad_inputs(tmp_path):
        code, out, err = run(hash_seeds, argv, capsys)
        assert code == 1 and out == "" and err.count("\n") == 1, (argv[:1], err)
        assert err.startswith("kit: error: ") and fragment in err, (fragment, err)
    assert snapshot(hash_seeds) == before


def test_the_library_refuses_the_same_input(hash_seeds: Path) -> None:
    k = open_hash(hash_seeds)
    with pytest.raises(InputError, match="more than kit check reads at once"):
        k.check("The harbour reopened on Monday. " * 160_000)
    with pytest.raises(InputError, match="the store holds no file of that name"):
        k.check(FAITHFUL, files=["nowhere.txt"])


def test_check_never_creates_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(tmp_path / "none", [FAITHFUL], capsys)
    assert code == 1 and out == "" and err.count("\n") == 1 and f"no kit store at {tmp_path / 'none'}" in err
    assert not (tmp_path / "none").exists()


def test_checked_claims_keep_the_claims_contract() -> None:
    claim = CheckedClaim("A sentence.", (), Support.UNSUPPORTED, (NOT_IN_DOCUMENTS,), 0.0)
    valid(claim.to_dict(), "CheckedClaim")
    plain = Claim(claim.text, claim.citations, claim.support, claim.reasons)
    assert claim.to_dict() == {**valid(plain.to_dict(), "Claim"), "score": 0.0} and isinstance(claim, Claim)


def _judged(support: Support, score: float, coverage: float, hard: tuple[str, ...] = ()) -> tuple[Judgement, Signals]:
    return Judgement(support, hard, score=score), Signals(hard, (), coverage, 1.0, coverage, 1.0, 0.8, 5, "")


def test_a_partial_span_does_not_excuse_the_fault_the_closest_span_names() -> None:
    partial = _judged(Support.PARTIAL, 0.6, 0.6)
    faulty = _judged(Support.UNSUPPORTED, 0.3, 0.9, ('the quote gives this as planned ("would")',))
    assert best_of([partial, faulty]) == 1  # the span holding most of the claim, and its fault
    assert best_of([partial, faulty, _judged(Support.SUPPORTED, 0.7, 0.8)]) == 2  # a span that says it wins
    assert best_of([partial, _judged(Support.UNSUPPORTED, 0.3, 0.5, ("number 5 not in the quote",))]) == 0
    assert best_of([partial, _judged(Support.UNSUPPORTED, 0.2, 0.9)]) == 0  # low coverage alone is no fault
    assert best_of([]) is None


# -- evidence from two sentences apart -----------------------------------------------------------

BAKERY = ("The Verde bakery opened in Porto in 1998. It sells bread and pastries to cafes across the city. "
          "Its ovens burn olive wood brought from Lisbon. Ana Costa has run the Verde bakery since 2010. "
          "The Rosa bakery, the oldest in the city, closed in 2015. The old mill by the river closed after "
          "the flood of 2001.\n")


@pytest.fixture(scope="module")
def bakery(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    root = tmp_path_factory.mktemp("bakery")
    (root / "docs").mkdir()
    (root / "docs" / "bakery.txt").write_text(BAKERY, encoding="utf-8")
    k = open_hash(root / ".kit")
    k.ingest(root / "docs")
    return k


def test_a_sentence_that_merges_two_sentences_apart_cites_both(bakery: Kit, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    result = bakery.check("The Verde bakery, which opened in Porto in 1998, has been run by Ana Costa since 2010.")
    [claim] = result.claims
    assert claim.support is Support.SUPPORTED, claim.reasons
    assert [c.quote for c in claim.citations] == ["The Verde bakery opened in Porto in 1998.",
                                                 "Ana Costa has run the Verde bakery since 2010."]
    assert [c.key for c in claim.citations] == [1, 2]
    assert_at_span(bakery, result)
    saved = tmp_path / "check.json"
    saved.write_text(json.dumps(valid(result.to_dict(), "Check")), encoding="utf-8")
    assert main(["verify", str(saved), "--embedder", "hash"]) == 0  # re-judged on both quotes
    assert "all checks pass" in capsys.readouterr().out


def test_a_clause_that_tells_its_own_link_may_merge_with_another(bakery: Kit) -> None:
    [claim] = bakery.check("The Verde bakery opened in Porto in 1998, and the old mill closed after the flood.").claims
    assert claim.support is Support.SUPPORTED, claim.reasons
    assert [c.quote for c in claim.citations] == ["The Verde bakery opened in Porto in 1998.",
                                                 "The old mill by the river closed after the flood of 2001."]


@pytest.mark.parametrize("text", [
    "The old mill closed after the flood of 2001, so Ana Costa has run the Verde bakery since 2010.",
    "The Verde bakery opened in Porto in 1998 because the old mill by the river closed.",
    "The old mill by the river closed after the flood of 2001, which led Ana Costa to run the Verde bakery.",
])
def test_a_link_between_what_two_sentences_say_is_not_supported(bakery: Kit, text: str) -> None:
    [claim] = bakery.check(text).claims
    assert claim.support is Support.UNSUPPORTED, claim.reasons


def test_each_clause_of_a_merged_sentence_is_said_by_one_sentence_on_its_own() -> None:
    first, last = "The Verde bakery opened in Porto in 1998.", "Ana Costa has run the Verde bakery since 2010."
    judge = Judge(HashEmbedder())
    assert judge.clauses_apart("The Verde bakery, which opened in Porto in 1998, has been run by Ana Costa.",
                               [first, last])
    assert not judge.clauses_apart("The Verde bakery, which opened in Porto in 2010, is run by Ana Costa.",
                                   [first, last])  # the figure of one clause from the other sentence
    assert not judge.clauses_apart("The Verde bakery opened in Lisbon in 1998, and Ana Costa has run it since 2010.",
                                   [first, last + " Its olive wood comes from Lisbon."])  # a name filled in
    assert not judge.clauses_apart("Ana Costa runs the Verde bakery in Porto.", [first, last])  # one clause
    # a name set beside one sentence's title, taken from the other where it has another title
    owner, buyer = "The Verde bakery in Porto was run by its founder, Rui Costa.", "Ana Costa bought it in 2010."
    assert not judge.clauses_apart("The Verde bakery in Porto was run by its founder, Ana Costa.", [owner, buyer])


@pytest.mark.parametrize(("text", "links"), [
    ("Ana Costa took over the bakery after it opened.", True),
    ("The fire led to the closure.", True),
    ("The bakery closed because the ovens failed.", True),
    ("The bakery was sold before the owner retired.", True),
    ("Ana Costa has run the bakery since 2010.", False),  # a cue before a date ties an event to a time
    ("It reopened after May 5.", False),
    ("The bakery opened in 1998 and sells bread.", False),
])
def test_a_causal_or_temporal_cue_links_two_events(text: str, links: bool) -> None:
    assert (link_cues(text) > 0) is links


@pytest.mark.parametrize("text", [
    "The Verde bakery opened in Porto in 2010.",  # one clause: its figure from the other sentence
    "The Verde bakery, which opened in Lisbon in 1998, has been run by Ana Costa since 2010.",  # a name from a third
    "Ana Costa took over the Verde bakery after it opened in Porto in 1998.",  # a link neither sentence states
    "The Verde bakery, the oldest in the city, opened in Porto in 1998.",  # said of the Rosa bakery
])
def test_words_recombined_across_sentences_are_not_supported(bakery: Kit, text: str) -> None:
    [claim] = bakery.check(text).claims
    assert claim.support is Support.UNSUPPORTED  # not even partial: the passage says it of something else


def test_with_no_span_that_backs_it_the_span_the_claim_is_about_is_cited() -> None:
    unrelated = _judged(Support.UNSUPPORTED, 0.35, 0.3, ("a part of the claim is not in the quote",))
    about = _judged(Support.UNSUPPORTED, 0.2, 0.9, ('the quote says "part of"',))
    assert best_of([unrelated, about]) == 1
    assert best_of([about, unrelated]) == 0
    assert best_of([unrelated, about, _judged(Support.SUPPORTED, 0.6, 0.7)]) == 2  # a span that says it wins
