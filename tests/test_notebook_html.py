"""Every result type shows in a notebook as escaped HTML that says what its text says, saves as
.html, .md or .json, and refuses another suffix; `Kit.report` writes what `kit summarize --out`
writes; the ask box answers when its button is clicked.

The store holds a seed and a hostile file: its name and its text hold the payloads of
tests/test_browser_safety.py, so every view must show them as text. The saved pages are opened in
headless Chromium as that module does: no payload may run.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.api import Kit
from kit.cli import main
from kit.errors import InputError, KitError, MissingExtraError
from kit.integrations.notebook import ask_box
from kit.report.common import size
from kit.text import plural
from tests.helpers import SEEDS
from tests.test_browser_safety import NAMES, PAYLOADS, chromium, dom_after_load, unsafe_link  # noqa: F401  # a fixture

HOSTILE_NAME = NAMES[1]  # "><img src=x onerror=document.title='PWNED'>.txt
SCRIPT = PAYLOADS[0]  # <script>document.title='PWNED'</script>
HOSTILE_TEXT = ("The harbour council of Dunmore met on Monday to discuss its budget for next year.\n\n"
                f"A resident wrote {SCRIPT} in the council's public comment form that evening.\n\n"
                f"Another wrote {PAYLOADS[1]} under the budget line the same evening.\n\n"
                "The council approved the harbour budget after a final vote on Tuesday.\n")
QUESTION = "What did the resident write in the council's comment form?"
# What of the hostile file each page shows as text: its name, or the script its text and a question hold.
SHOWN = {"files": HOSTILE_NAME, "doctor": "store is healthy", "eval": SCRIPT, "topics": HOSTILE_NAME,
         "summaries": HOSTILE_NAME, "answer": HOSTILE_NAME, "check": SCRIPT}
VOID = {"br", "meta", "img", "input", "hr", "link", "col", "wbr"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ with one seed and the hostile file, ingested into .kit beside it (hash embedder)."""
    root = tmp_path_factory.mktemp("nbhtml")
    docs = root / "docs"
    docs.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, docs / seed.name)
    (docs / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    open_kit(root).ingest(docs)
    qa = [{"question": f"{QUESTION} {SCRIPT}", "gold_sources": [f"docs/{HOSTILE_NAME}"], "answers": ["resident"],
           "answerable": True},
          {"question": "Which football club won the league in 2017?", "answerable": False}]
    (root / "qa.jsonl").write_text("\n".join(json.dumps(q) for q in qa), encoding="utf-8")
    return root


def open_kit(root: Path) -> Kit:
    return kit.open(store_dir=root / ".kit", embedder="hash", llm="extractive")


@pytest.fixture(scope="module")
def results(project: Path) -> dict[str, Any]:
    """One of each result type, from the store."""
    k = open_kit(project)
    return {"files": k.files(), "doctor": k.doctor(), "eval": k.evaluate(project / "qa.jsonl"),
            "topics": k.topics(k=2), "summaries": k.summarize(max_sentences=4), "answer": k.ask(QUESTION),
            "check": k.check(f"The council approved the harbour budget. A resident wrote {SCRIPT}.")}


class Parsed(HTMLParser):
    """The tags, attributes and text of a piece of HTML, and whether its tags nest."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.misnested: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.misnested.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def parsed(markup: str) -> Parsed:
    """`markup` parsed; it must nest, hold no live element or handler (its styles aside)."""
    page = Parsed(markup)
    assert not page.misnested and not page.open, (page.misnested, page.open)
    assert not {"script", "img", "svg", "iframe"} & set(page.tags) and not page.handlers, (page.tags, page.handlers)
    return page


def test_every_result_type_shows_as_html_and_keeps_its_text_short(results: dict[str, Any]) -> None:
    for name, result in results.items():
        markup = result._repr_html_()
        assert markup == result.to_html() and parsed(markup).words, name
        assert len(repr(result).splitlines()) == 1 and len(repr(result)) < 400, (name, repr(result))


def test_the_file_listing_shows_counts_short_hashes_and_iso_times(results: dict[str, Any]) -> None:
    listing = results["files"]
    data = listing.to_dict()
    page = parsed(listing.to_html())
    chunks = sum(f["chunks"] for f in data["files"])
    assert f"{len(data['files'])} files, {chunks} chunks" in page.words
    for f in data["files"]:
        assert f["path"] in page.words and f["sha256"][:12] in page.words and f["ingested"] in page.words
        assert f["sha256"] not in page.words  # the full hash only as the short one's tooltip
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", f["ingested"])
        assert f["sha256"][:12] in str(listing) and f["ingested"] in str(listing)
    assert f"docs/{HOSTILE_NAME}" in page.words and f"docs/{HOSTILE_NAME}" in str(listing)
    assert str(int(listing.files[0].ingested)) not in listing.to_html()  # no epoch seconds
    assert repr(listing) == f"Listing({listing.store}: generation {listing.generation}, 1 source, 2 files, " \
                            f"{chunks} chunks)"


def test_the_store_check_shows_its_verdict_and_facts(results: dict[str, Any]) -> None:
    checkup = results["doctor"]
    page = parsed(checkup.to_html())
    assert checkup.verdict.value == "healthy" and "store is healthy" in page.words
    assert f"chunks {checkup.facts['chunks']}" in page.words and f"files {checkup.facts['files']}" in page.words
    assert "source docs 2 ok" in page.words
    assert str(checkup).splitlines()[0] == "store is healthy"


def test_the_evaluation_shows_each_question_and_the_totals(results: dict[str, Any]) -> None:
    report = results["eval"]
    page = parsed(report.to_html())
    assert f"{QUESTION} {SCRIPT}" in page.words  # the question's payload, as text
    assert "2 questions" in page.words and "n/a" in page.words
    for key in ("answer_accuracy", "mrr", "abstention_recall"):
        value = report.to_dict()[key]
        shown = "n/a" if value is None else f"{value:.3f}"
        assert f"{key} {shown}" in page.words and f"{key:26} {shown}" in str(report)


def test_topics_and_summaries_are_lists_that_show_as_tables(results: dict[str, Any]) -> None:
    topics, summaries = results["topics"], results["summaries"]
    assert isinstance(topics, list) and isinstance(summaries, list)
    assert topics[0] is next(iter(topics)) and topics[0].number == 1 and summaries[-1] is list(summaries)[-1]
    page = parsed(topics.to_html())
    assert plural(len(topics), "topic") in page.words
    for t in topics:
        # The size column counts documents first, as a reader does, then chunks.
        assert t.title in page.words and f"{t.title} {size(t)}" in page.words
    page = parsed(summaries.to_html())
    assert plural(len(summaries), "topic summary") in page.words and "kit-cite" in summaries.to_html()
    for s in summaries:
        assert f"Topic {s.topic.number}: {s.topic.title}" in page.words
    shown = sum(len(s.shown) for s in summaries)
    assert repr(summaries).startswith(f"Summaries({plural(len(summaries), 'topic')}: {plural(shown, 'claim')} shown")


def test_answers_and_checks_show_the_hostile_text_escaped(results: dict[str, Any]) -> None:
    answer, check = results["answer"], results["check"]
    assert not answer.abstained and any(HOSTILE_NAME in c.path for c in answer.citations)
    for result in (answer, check):
        page = parsed(result.to_html())
        assert SCRIPT in page.words or SCRIPT in "".join(page.text), result
        assert "&lt;script&gt;" in result.to_html()


@pytest.mark.parametrize("name", ["files", "doctor", "eval", "topics", "summaries", "answer", "check"])
def test_save_writes_each_suffix_and_refuses_another(results: dict[str, Any], name: str, tmp_path: Path) -> None:
    result = results[name]
    page = result.save(tmp_path / "out.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.endswith("</html>")
    assert parsed(page.split("</head>", 1)[1].removesuffix("</html>"))
    assert result.save(tmp_path / "out.md").read_text(encoding="utf-8").startswith(("# ", "**Q:** "))
    assert json.loads(result.save(tmp_path / "out.json").read_text(encoding="utf-8")) == \
        json.loads(json.dumps(result.to_dict()))
    with pytest.raises(InputError, match=r"report\.pdf.*not \.pdf") as refused:
        result.save(tmp_path / "report.pdf")
    assert ".md, .html or .json" in str(refused.value) and "\n" not in str(refused.value)
    assert not (tmp_path / "report.pdf").exists()


def test_the_saved_pages_run_no_script_in_a_browser(chromium: str, results: dict[str, Any],  # noqa: F811
                                                    project: Path, tmp_path: Path) -> None:
    """Every saved page, opened in headless Chromium: the payloads stay text, no link is unsafe."""
    docs = project / "docs"  # beside the hostile file, so the report's links to it are relative
    for name, result in results.items():
        path = result.save(docs / f"view-{name}.html")
        dom = dom_after_load(chromium, path, tmp_path / f"profile-{name}")
        assert dom.title and dom.title != "PWNED" and "pwned" not in dom.tags, name
        assert not {"script", "img", "svg", "iframe"} & set(dom.tags) and not dom.handlers, (name, dom.tags)
        assert not [h for h in dom.hrefs if unsafe_link(h)], (name, dom.hrefs)
        assert SHOWN[name] in "".join(dom.text), name
        path.unlink()


def without_dates(text: str) -> str:
    return re.sub(r"Created: [^<\n]*", "Created: -", re.sub(r'"created": "[^"]*"', '"created": "-"', text))


@pytest.mark.parametrize("suffix", ["html", "md", "json"])
def test_kit_report_writes_what_kit_summarize_out_writes(project: Path, suffix: str) -> None:
    k = open_kit(project)
    k.summarize()  # the last run both compare with, so both say "unchanged since the last run" alike
    written = k.report(project / f"api.{suffix}")
    assert written == project / f"api.{suffix}"
    cli = project / f"cli.{suffix}"
    assert main(["summarize", "--out", str(cli), "--store", str(project / ".kit"), "--embedder", "hash"]) == 0
    api_text, cli_text = written.read_text(encoding="utf-8"), cli.read_text(encoding="utf-8")
    assert without_dates(api_text) == without_dates(cli_text) and "harbour council" in api_text


def test_kit_report_refuses_a_suffix_before_any_work(project: Path) -> None:
    with pytest.raises(InputError, match=r"r\.pdf.*not \.pdf"):
        open_kit(project).report(project / "r.pdf", topics=["harbour budget"])
    assert not (project / "r.pdf").exists()


def test_the_ask_box_shows_the_answer_when_asked(project: Path) -> None:
    k = open_kit(project)
    box = ask_box(k)
    (question, button), out = box.children[0].children, box.children[1]
    assert out.outputs == ()
    question.value = QUESTION
    button.click()  # runs the click handler, as the button in a notebook does
    (shown,) = out.outputs
    assert shown["data"]["text/html"] == k.ask(QUESTION).to_html() and "kit-cite" in shown["data"]["text/html"]
    question.value = "   "
    button.click()
    (error,) = out.outputs
    assert error["data"]["text/plain"].startswith("kit: error: the question is empty")
    assert "\n" not in error["data"]["text/plain"]


def test_the_ask_box_without_ipywidgets_says_what_to_install(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # an import of it now fails, as when not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'kit\[notebook\]'"):
        ask_box(open_kit(project))
    assert issubclass(MissingExtraError, KitError)
