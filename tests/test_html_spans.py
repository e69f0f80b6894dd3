"""HTML citations are true in the raw file: for every citation of an HTML page, `raw[start:end]`
with its tags removed and entities decoded is the quote. The check here is independent of kit: it
reads the markup with Python's `html.parser`. Pages in tests/data/html are written like real ones
(head, scripts, navigation, sidebars, footers, reader comments, entities, <pre>, <br>, CRLF)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from kit.api import Kit
from kit.embeddings import HashEmbedder
from kit.grounding.support import Judge
from kit.grounding.verify import confined_reader, verify_saved
from kit.types import Chunk, Citation
from tests.helpers import kit_free_env, run_kit

PAGES = Path(__file__).resolve().parent / "data" / "html"
QUESTIONS: dict[str, list[str]] = json.loads((PAGES / "questions.json").read_text(encoding="utf-8"))
# Elements whose text must never be cited: they are not the page's content.
NEVER_CITED = ("head", "script", "style", "nav", "footer")


class _Text(HTMLParser):
    """The text of a markup slice as html.parser reads it: data outside script and style, with
    character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.opaque = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opaque += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.opaque:
            self.opaque -= 1

    def handle_data(self, data: str) -> None:
        if not self.opaque:
            self.parts.append(data)


class _Regions(HTMLParser):
    """Raw ranges of the elements in NEVER_CITED."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.open: list[tuple[str, int]] = []
        self.ranges: list[tuple[int, int]] = []

    def where(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NEVER_CITED:
            self.open.append((tag, self.where()))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            self.ranges.append((self.open.pop()[1], self.where()))


def markup_text(raw_slice: str) -> str:
    parser = _Text()
    parser.feed(raw_slice)
    parser.close()
    return "".join(parser.parts)


@lru_cache(maxsize=4)
def never_cited(raw: str) -> list[tuple[int, int]]:
    parser = _Regions(raw)
    parser.feed(raw)
    parser.close()
    return parser.ranges


def squeezed(text: str) -> str:
    """Text without whitespace: a tag such as <br> or </p> stands for a line break in the view."""
    return "".join(text.split())


@lru_cache(maxsize=4)
def tags(raw: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"<[!/?a-zA-Z][^>]*>", raw)]


def inside_tag(raw: str, at: int) -> bool:
    return any(a < at < b for a, b in tags(raw))


def span_problem(raw: str, start: int, end: int, quote: str) -> str | None:
    """Why `raw[start:end]` is not `quote` as html.parser reads it (None when it is)."""
    if not 0 <= start < end <= len(raw):
        return f"span [{start}:{end}] outside the file"
    if inside_tag(raw, start) or inside_tag(raw, end):
        return f"span [{start}:{end}] starts or ends inside a tag: {raw[start:end][:60]!r}"
    if squeezed(markup_text(raw[start:end])) != squeezed(quote):
        return f"raw [{start}:{end}] reads {markup_text(raw[start:end])[:80]!r}, not {quote[:80]!r}"
    hit = [(a, b) for a, b in never_cited(raw) if a < end and start < b]
    return f"span [{start}:{end}] lies in a {NEVER_CITED} element {hit}" if hit else None


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    return Path(shutil.copytree(PAGES, tmp_path / "pages", ignore=shutil.ignore_patterns("*.json")))


@pytest.fixture
def html_kit(pages: Path, make_kit: Callable[..., Kit]) -> Kit:
    k = make_kit()
    k.ingest(pages)
    return k


def raw_of(pages: Path, name: str) -> str:
    return (pages / Path(name).name).read_bytes().decode("utf-8")


def chunks_of(k: Kit, name: str) -> list[Chunk]:
    return [h.chunk for h in k.search("the", k=200, files=[f"pages/{name}"])]


def test_the_pages_are_what_the_tests_say() -> None:
    """CRLF line ends and the markup the tests rely on are really in the files."""
    assert b"\r\n" in (PAGES / "science_crlf.html").read_bytes()
    council = (PAGES / "city_council.html").read_text(encoding="utf-8")
    assert all(s in council for s in ("<meta charset", "<script>", "<nav", "<footer", "&amp;", "&#8217;",
                                      "&nbsp;", "Comments (3)", "<b>31 to 14</b>"))
    assert len(QUESTIONS) >= 10 and all((PAGES / name).is_file() for name in QUESTIONS)


def test_every_citation_of_every_question_is_true_in_the_raw_file(html_kit: Kit, pages: Path) -> None:
    checked, problems = 0, []
    for name, questions in QUESTIONS.items():
        raw = raw_of(pages, name)
        cited = 0
        for question in questions:
            answer = html_kit.ask(question, files=[f"pages/{name}"])
            for c in answer.citations:
                cited += 1
                if (why := span_problem(raw, c.start, c.end, c.quote)) is not None:
                    problems.append(f"{name} [{c.key}] {question}: {why}")
            assert not answer.failed, (name, question, [f.problem for f in answer.failed])
        assert cited, f"no question about {name} got a citation"
        checked += cited
    assert not problems, "\n".join(problems)
    assert checked >= 30


def test_every_chunk_of_an_html_page_is_its_raw_span(html_kit: Kit, pages: Path) -> None:
    for name in QUESTIONS:
        raw = raw_of(pages, name)
        chunks = chunks_of(html_kit, name)
        assert chunks, name
        for c in chunks:
            assert span_problem(raw, c.start, c.end, c.text) is None, (name, c.start, c.end, c.text[:80])


def test_the_citation_of_the_issue_no_longer_points_at_the_head(html_kit: Kit, pages: Path) -> None:
    answer = html_kit.ask("How long will the tram line be and what will it cost?", files=["pages/city_council.html"])
    raw = raw_of(pages, "city_council.html")
    assert answer.citations
    for c in answer.citations:
        assert "<meta" not in raw[c.start:c.end] and raw.index("<article>") < c.start


def test_entities_and_inline_tags_become_plain_text(html_kit: Kit) -> None:
    text = "\n".join(c.text for c in chunks_of(html_kit, "city_council.html"))
    assert "voted 31 to 14 on Tuesday" in text  # <b> inside the sentence
    assert "It\u2019s a line" in text and "\u20ac186 million" in text and "7.4\u00a0km" in text
    assert "cost & could" in text and "&amp;" not in text and "<" not in text
    assert "dataLayer" not in text and "Culture" not in text and "All rights reserved" not in text
    assert "Most read" not in text and "Harbour festival" not in text


def test_br_and_pre_keep_their_lines(html_kit: Kit) -> None:
    blog = "\n".join(c.text for c in chunks_of(html_kit, "blog_sourdough.html"))
    assert "Morning: 20\u00a0g starter" in blog and "\nEvening: discard half" in blog
    docs = "\n".join(c.text for c in chunks_of(html_kit, "docs_config.html"))
    assert "interval = 30\noutput = \"readings/%Y-%m-%d.csv\"" in docs


def test_reader_comments_are_the_comments_section_without_their_heading(html_kit: Kit) -> None:
    for name, comment, heading in (
            ("city_council.html", "the number 4 bus is always full", "Comments (3)"),
            ("blog_sourdough.html", "mine became far more active", "2 thoughts on"),
            ("news_flood.html", "mobile flood walls", "3 Comments"),
            ("review_headphones.html", "broke at the hinge", "Comments\n")):
        chunks = chunks_of(html_kit, name)
        assert [c.section for c in chunks if comment in c.text] == ["comments"], name
        assert all(comment not in c.text for c in chunks if c.section == "article"), name
        assert all(heading not in c.text + "\n" for c in chunks), name


def test_crlf_and_non_ascii_pages_cite_true_spans(pages: Path, make_kit: Callable[..., Kit]) -> None:
    crlf = pages / "council_crlf.html"
    crlf.write_bytes((pages / "city_council.html").read_bytes().replace(b"\n", b"\r\n"))
    k = make_kit()
    k.ingest(pages)
    for name, question in (("council_crlf.html", "What did the mayor say about the tram?"),
                           ("essay_unicode.html", "How many baguettes do Tokyo bakeries sell a day?"),
                           ("science_crlf.html", "Which card were the bees trained to pick?")):
        answer = k.ask(question, files=[f"pages/{name}"])
        assert answer.citations, name
        raw = raw_of(pages, name)
        assert all(span_problem(raw, c.start, c.end, c.quote) is None for c in answer.citations), name


def saved_answer(k: Kit, question: str, name: str) -> dict[str, Any]:
    answer = k.ask(question, files=[f"pages/{name}"])
    assert answer.citations
    data: dict[str, Any] = json.loads(json.dumps(answer.to_dict()))
    return data


def test_verify_passes_true_html_spans_and_fails_one_moved_onto_markup(html_kit: Kit, pages: Path) -> None:
    data = saved_answer(html_kit, "How long will the tram line be and what will it cost?", "city_council.html")
    judge = Judge(HashEmbedder())
    root = html_kit.location.base
    reader = lambda: confined_reader(root, "cp1252", 10 * 1024 * 1024)  # noqa: E731 - fresh cache per check
    assert verify_saved(data, reader(), judge).ok
    cited = Citation.from_dict(data["citations"][0])
    raw = raw_of(pages, "city_council.html")
    # The same quote, its span moved onto markup: the <head> (as the issue saw), then one character
    # into the tag before the quote, so the span starts inside `<p>`.
    tag = raw.rindex("<", 0, cited.start)
    for start in (40, tag + 1):
        data["citations"][0]["start"], data["citations"][0]["end"] = start, start + cited.end - cited.start
        result = verify_saved(data, reader(), judge)
        assert not result.ok and "citation [1]" in result.problems[0], start


def test_summaries_and_checks_of_html_pages_cite_true_spans(html_kit: Kit, pages: Path) -> None:
    """Summaries join overlapping chunks and `kit check` cites sentence pairs: their spans hold too."""
    cited: list[Citation] = [c for s in html_kit.summarize(max_sentences=4) for c in s.citations]
    draft = ("The city council voted 31 to 14 to build a tram line. The Danube at Passau fell to 8.70 metres. "
             "A renewal made online usually takes three weeks. The Q3 battery lasted 41 hours.")
    cited += [c for claim in html_kit.check(draft).claims for c in claim.citations]
    assert len({c.path for c in cited}) >= 4
    problems = [f"{c.path}: {why}" for c in cited
                if (why := span_problem(raw_of(pages, c.path), c.start, c.end, c.quote)) is not None]
    assert not problems, "\n".join(problems)


def test_a_page_read_by_an_older_view_is_chunked_again(pages: Path, make_kit: Callable[..., Kit],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Stores built before spans pointed into the markup hold HTML chunks whose spans index the
    extracted text. Such a store is made here (the view's version one lower, its map the identity,
    so spans count in the text): the current kit finds those pages changed and chunks them again."""
    from kit.corpus import readers
    from kit.corpus.markup import PageText, page_text
    from kit.types import RawMap

    def old_view(markup: str) -> PageText:
        page = page_text(markup)
        return PageText(page.text, RawMap(((0, 0, len(page.text), len(page.text)),)), page.comments, page.breaks)

    monkeypatch.setattr(readers, "VIEW_VERSION", readers.VIEW_VERSION - 1)
    monkeypatch.setattr(readers, "page_text", old_view)
    make_kit().ingest(pages)
    monkeypatch.undo()
    assert make_kit().doctor().verdict.value == "stale"
    again = make_kit().ingest(pages)
    assert again.unchanged_files == 0 and again.embedded == again.chunks > 0
    assert make_kit().doctor().verdict.value == "healthy"
    assert make_kit().ingest(pages).embedded == 0
    raw = raw_of(pages, "city_council.html")
    assert all(span_problem(raw, c.start, c.end, c.text) is None for c in chunks_of(make_kit(), "city_council.html"))


def test_the_reader_gives_the_page_text_at_a_span_and_none_in_markup(pages: Path) -> None:
    from kit.corpus.sources import SourceReader

    reader = SourceReader(pages.parent)
    raw = raw_of(pages, "city_council.html")
    start = raw.index("The city council voted")
    end = raw.index("since 2019.") + len("since 2019.")
    found = reader.context("pages/city_council.html", start, end, 20)
    assert found is not None and found[1].startswith("The city council voted 31 to 14 on Tuesday")
    assert "<b>" not in found[1] and found[2] == "\nThe line will be 7."
    assert reader.at_span("pages/city_council.html", start - 1, end) is None  # starts inside <p>
    assert reader.at_span("pages/city_council.html", 40, 80) is None  # the head
    script = raw.index("var headline")
    assert reader.at_span("pages/city_council.html", script, script + 12) is None


ODD = ("<HTML><BODY><P class='x' title=\"a > b\">He<b>ll</b>o w&#111;rld &foo; &amp that a < b and "
       "b > a.<!-- a note, <p>not text</p> --> After the note.<P>Unclosed paragraph with <i>italics\n"
       "  over two lines</i><br/>and a line break.<SCRIPT>var x = '<p>';</SCRIPT> Tail &nbsp;text."
       "<div class='share-bar'>Share this</div> Last words here.</BODY></HTML>")


def word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Every span of whole words inside text[start:end]."""
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    return [(a, b) for i, (a, _) in enumerate(words) for (_, b) in words[i:]]


@pytest.mark.parametrize("name", [*sorted(QUESTIONS), "odd markup"])
def test_every_span_of_words_a_page_keeps_maps_to_its_markup(name: str, tmp_path: Path) -> None:
    """Not only what the tests ask: any run of words inside a kept span reads the same in the raw
    file as in the page's text."""
    from kit.config import Settings
    from kit.corpus.files import FoundFile, read_document

    path = PAGES / name if name in QUESTIONS else tmp_path / "odd.html"
    if name not in QUESTIONS:
        path.write_text(ODD, encoding="utf-8")
    doc, _ = read_document(FoundFile(path, path.name), Settings.load(environ={}, embedder="hash"))
    raw = path.read_bytes().decode("utf-8")
    checked = 0
    for span in doc.spans:
        for a, b in word_spans(doc.text, span.start, span.end):
            start, end = doc.raw_span(a, b)
            assert span_problem(raw, start, end, doc.text[a:b]) is None, (doc.text[a:b], raw[start:end])
            checked += 1
    assert checked > 20


def test_odd_markup_reads_as_a_browser_shows_it() -> None:
    from kit.corpus.markup import page_text

    text = page_text(ODD).text
    assert text.startswith("Hello world &foo; & that a < b and b > a. After the note.\n")
    assert "Unclosed paragraph with italics over two lines\nand a line break." in text
    assert "var x" not in text and "not text" not in text and "Share this" not in text
    assert text.endswith("and a line break. Tail \u00a0text.\nLast words here.")


def test_an_html_page_has_its_headline_though_its_markup_starts_far_before_it(html_kit: Kit) -> None:
    """Topic labels and summaries look for a headline in a file's first passage, counted in its
    text: the page's <head> and navigation, left out, do not push the article past it."""
    from kit.topics.salience import headlines

    chunks = chunks_of(html_kit, "news_flood.html")
    assert min(c.start for c in chunks) > 400 and min(c.offset for c in chunks) == 0
    found = headlines(chunks)
    assert found == {"pages/news_flood.html": "Flood waters recede in Passau as the Danube falls below 9 metres"}


def test_kit_verify_in_a_real_process_fails_an_html_span_moved_onto_markup(pages: Path, tmp_path: Path) -> None:
    # PYTHONPATH: the kit of this checkout, whichever one the environment's `kit` script was installed from.
    env = {**kit_free_env(), "KIT_EMBEDDER": "hash", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    store = ["--store", str(tmp_path / ".kit")]
    assert run_kit(["ingest", str(pages), *store], env=env).returncode == 0
    asked = run_kit(["ask", "How long will the tram line be and what will it cost?", "--json", *store], env=env)
    data = json.loads(asked.stdout)
    saved = tmp_path / "answer.json"
    saved.write_text(json.dumps(data), encoding="utf-8")
    done = run_kit(["verify", str(saved)], env=env)
    assert done.returncode == 0 and "all checks pass" in done.stdout, done.stdout + done.stderr
    cited = data["citations"][0]
    raw = raw_of(pages, cited["path"])
    assert span_problem(raw, cited["start"], cited["end"], cited["quote"]) is None
    shift = raw.index(">", cited["start"]) - cited["start"]  # onto the next tag after the quote's start
    data["citations"][0]["start"] += shift
    data["citations"][0]["end"] += shift
    saved.write_text(json.dumps(data), encoding="utf-8")
    done = run_kit(["verify", str(saved)], env=env)
    assert done.returncode == 1 and f"citation [1] {cited['path']}" in done.stdout, done.stdout + done.stderr


def test_end_tags_left_out_end_where_a_browser_ends_them() -> None:
    from kit.corpus.markup import page_text

    assert page_text("<ul><li>one<li>two</ul><p>after").text == "one\ntwo\nafter"
    assert page_text("<p class='share-bar'>Share on X<p>The real text<br>goes on.").text == "The real text\ngoes on."
    assert page_text("<div>" * 3000 + "deep text" + "</span>" * 3000 + "</div>" * 3000 + "after").text == (
        "deep text\nafter")


def test_notebook_views_of_an_html_page_show_its_text_at_raw_spans(tmp_path: Path) -> None:
    """The in-source view marks the page's text at a citation's span, and the removed-lines table
    gives raw spans: the 'Comments (3)' heading's span in the markup reads as that heading."""
    from kit.config import Settings
    from kit.corpus.sources import SourceReader
    from kit.integrations import notebook

    shutil.copy(PAGES / "city_council.html", tmp_path / "page.html")
    raw = raw_of(PAGES, "city_council.html")
    start = raw.index("The line will be")
    end = raw.index("twelve stops.") + len("twelve stops.")
    good = Citation(1, "page.html", start, end, "article", "The line will be 7.4\u00a0km long and have twelve stops.")
    moved = Citation(2, "page.html", start - 2, end, "article", good.quote)
    shown = notebook.in_source([good, moved], SourceReader(tmp_path), width=20)._repr_html_()
    assert "<mark>The line will be 7.4\u00a0km long and have twelve stops.</mark>" in shown
    assert "equals the quote" in shown and "the span starts or ends in markup" in shown
    table = notebook.removed_table(tmp_path, Settings.load(environ={}, embedder="hash"))
    (span,) = [row[1] for row in table.rows if row[3] == "Comments (3)"]
    a, b = (int(n) for n in str(span).strip("[]").split(":"))
    assert markup_text(raw[a:b]) == "Comments (3)"


def test_a_chunk_cut_to_fit_a_prompt_keeps_a_true_span(html_kit: Kit, pages: Path) -> None:
    """Token budgets cut a passage to its first sentences (`Chunk.head`): its span shrinks with it."""
    raw = raw_of(pages, "city_council.html")
    chunk = max(chunks_of(html_kit, "city_council.html"), key=lambda c: len(c.text))
    for n in (1, 60, len(chunk.text) // 2, len(chunk.text)):
        cut = chunk.head(n)
        if cut.text.strip() == cut.text:
            assert span_problem(raw, cut.start, cut.end, cut.text) is None, n
        assert cut.start == chunk.start and cut.end <= chunk.end
