"""Markdown and HTML reports: a header says what they were made from, every citation's source
and span is shown, markers link to their quotes and quotes to their files, unsupported claims
are listed apart, the HTML page loads nothing from the network, and document text is escaped,
never run (control and bidi characters included)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import kit
from kit.cli import main
from kit.findings import Agreement, Difference
from kit.report import md, report_html, report_markdown, summary_html, visible
from kit.report.text import answer_text
from kit.results import Answer, Topic, TopicSummary
from kit.topics.summarize import extractive_summary
from kit.types import Citation, Claim, Mode, Provenance, Support
from tests.helpers import SEEDS

HOSTILE = ('The council met on Monday to discuss the harbour budget for next year.\n\n'
           'A reader pasted <script>alert("owned")</script> into the comment form of the council website.\n\n'
           'Another reader wrote " onmouseover="alert(1)" x=" in the same form on Tuesday evening.\n\n'
           'The budget passes next week after a final vote by the full council.\n')


@pytest.fixture(scope="module")
def summaries(tmp_path_factory: pytest.TempPathFactory) -> list[TopicSummary]:
    project = tmp_path_factory.mktemp("project")
    folder = project / "docs"
    folder.mkdir()
    for f in SEEDS.glob("*.txt"):
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "council.txt").write_text(HOSTILE, encoding="utf-8")
    k = kit.open(store_dir=str(project / ".kit"), embedder="hash", llm="extractive")
    k.ingest(folder)
    out = k.summarize(max_sentences=8)
    chunks, _ = k.store.all_vectors()
    council = [c for c in chunks if c.path == "docs/council.txt"]
    out.append(extractive_summary(Topic(len(out) + 1, "council", ("council",), tuple(council)), k.embedder,
                                  k.context(), max_sentences=10))
    return out


def every_citation(summaries: list[TopicSummary]) -> list[Citation]:
    cites = [c for s in summaries for c in s.citations]
    cites += [c for s in summaries for a in s.agreements for c in a.citations]
    cites += [c for s in summaries for d in s.differences for _, c in d.versions]
    return cites


def test_reports_show_every_citation_path_and_span(summaries: list[TopicSummary]) -> None:
    cites = every_citation(summaries)
    assert len(cites) >= 8
    text, page = report_markdown(summaries), report_html(summaries)
    for c in cites:
        assert f"`{c.path}` [{c.start}:{c.end}]" in text, c
        assert f"{html.escape(c.path)} [{c.start}:{c.end}]" in page, c
    for s in summaries:
        assert f"Topic {s.topic.number}: {s.topic.title}" in text
        assert all(md(claim.text) in text for claim in s.shown)  # as literal Markdown: see test_markdown_safety


A = Citation(1, "a.txt", 10, 40, "article", "Russia fired 18 cruise missiles.", support=Support.SUPPORTED)
B = Citation(2, "b.txt", 5, 50, "comments", "Eighteen cruise missiles were launched.", support=Support.SUPPORTED)
C = Citation(3, "c.txt", 0, 30, "article", "26 cruise missiles hit targets.", support=Support.SUPPORTED)
PROVENANCE = Provenance(("/data/news",), {"a.txt": "ab" * 32}, "9.9.9", {"embedder": "hash", "top_k": 5},
                        "2026-11-24T10:00:00+00:00")


def made_summary() -> TopicSummary:
    claims = [Claim("Russia fired 18 cruise missiles.", (A,), Support.SUPPORTED),
              Claim("Zebras migrate north.", (), Support.UNSUPPORTED, ("no content words shared with the quote",))]
    return TopicSummary(Topic(4, "strikes", ("missile",), ()), claims, Mode.EXTRACTIVE, "extractive",
                        [Agreement("Russia fired 18 cruise missiles.", (A, B))],
                        [Difference("missile", (("18 cruise missiles", A), ("26 cruise missiles", C)))])


def test_agreements_and_differences_are_rendered_with_their_sources() -> None:
    md, page = report_markdown([made_summary()]), report_html([made_summary()])
    for text in (md, page):
        assert "Sources agree" in text and "Sources differ" in text
        for cite in (A, B, C):
            assert f"[{cite.start}:{cite.end}]" in text and cite.path in text
        assert "Russia fired 18 cruise missiles." in text.split("Sources agree")[1]  # the statement itself
    assert "26 cruise missiles" in md and "26 cruise missiles" in page


def test_a_shared_figure_is_shown_with_each_sources_own_sentence() -> None:
    # Two reports agree on a figure and each says more ("killed about 200,000 and affected three
    # million" / "200,000 killed ... 1.5 million homeless"): "stated by" both under one source's
    # sentence credited the other with words it never wrote.
    a = Citation(1, "a.txt", 0, 60, "article", "The quake killed about 200,000 people and affected three million.")
    b = Citation(2, "b.txt", 0, 70, "article", "As many as 200,000 people were killed and 1.5 million left homeless.")
    summary = made_summary()
    summary.agreements = [Agreement(a.quote, (a, b), "200,000 people")]
    for text in (report_markdown([summary]), report_html([summary])):
        agree = text.split("Sources agree")[1].split("Sources differ")[0]
        assert "200,000 people:" in agree and "stated by" not in agree
        assert "affected three million" in agree and "1.5 million left homeless" in agree


def test_sections_stand_apart_and_unsupported_claims_are_listed_not_shown() -> None:
    md, page = report_markdown([made_summary()]), report_html([made_summary()])
    for text in (md, page):
        order = [text.index(h) for h in ("Citations", "Not supported by the sources (1)", "Sources agree",
                                         "Sources differ")]
        assert order == sorted(order)
        body = text.split("Citations")[0]
        assert "Russia fired 18 cruise missiles." in body and "Zebras" not in body
        assert "Zebras migrate north." in text and "no content words shared" in text


def test_header_names_corpus_date_version_and_settings() -> None:
    md, page = report_markdown([made_summary()], PROVENANCE), report_html([made_summary()], PROVENANCE)
    for text in (md, page):
        assert "/data/news" in text and "2026-11-24T10:00:00+00:00" in text and "kit 9.9.9" in text
        assert "embedder=hash" in text and "top_k=5" in text


def test_markers_link_to_their_quotes_and_quotes_to_their_files() -> None:
    page = report_html([made_summary()], links=lambda path: f"../docs/{path}")
    assert "<a class='kit-cite' href='#t4-c1'" in page and "<li id='t4-c1'>" in page
    assert "<a href='../docs/a.txt'>a.txt</a>" in page


def test_control_and_bidi_characters_are_shown_not_obeyed() -> None:
    sneaky = "Pay \u202eevil\u202c now\x07"
    cite = Citation(1, "x\ny.txt", 0, len(sneaky), "article", sneaky, support=Support.SUPPORTED)
    answer = Answer("q?", [Claim(sneaky, (cite,), Support.SUPPORTED)], Mode.EXTRACTIVE, "extractive")
    out = answer_text(answer) + answer._repr_html_() + report_markdown([made_summary()])
    assert "\u202e" not in out and "\x07" not in out and "\\u202e" in out and "\\x07" in out
    assert "x\\ny.txt" in answer_text(answer)  # a newline in a file name is shown, not printed
    assert visible("a\nb\u202ec") == "a\nb\\u202ec"


def test_html_is_self_contained(summaries: list[TopicSummary]) -> None:
    page = report_html(summaries, title="Report")
    assert page.startswith("<!doctype html>") and page.count("<html") == 1
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b|@import|url\(", page, re.I)
    assert "<script" not in page.lower()  # the kit adds no scripts, and documents cannot inject one


def test_html_escapes_document_text(summaries: list[TopicSummary]) -> None:
    council = summaries[-1]
    quoted = " ".join(c.quote for c in council.citations)
    assert "<script>" in quoted and 'onmouseover="alert(1)"' in quoted  # the hostile text was cited
    for page in (report_html(summaries), summary_html(council), council._repr_html_()):
        assert "<script" not in page.lower()
        assert "&lt;script&gt;" in page
        assert 'onmouseover="alert' not in page and "onmouseover=&quot;alert(1)&quot;" in page
    assert "<b>bold</b>" not in report_html(summaries, title="<b>bold</b>")


def test_report_files_from_the_cli(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert main(["ingest", str(SEEDS), "--store", str(store), "--embedder", "hash", "--no-progress"]) == 0
    for name in ("report.md", "report.html"):
        out = tmp_path / name
        assert main(["summarize", "--store", str(store), "--embedder", "hash", "--out", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert text.startswith("# Topic report" if name.endswith(".md") else "<!doctype html>")
        assert re.search(r"\d{3}_[0-9a-f]{16}\.txt`? \[\d+:\d+\]", text)


def test_a_file_named_like_a_script_url_is_linked_as_a_relative_path(tmp_path: Path) -> None:
    """A report written inside the corpus folder links its sources relatively; a file whose name is
    a `javascript:` URL must stay a path (percent-encoded), never become a link that runs script."""
    folder = tmp_path / "docs"
    folder.mkdir()
    name = "javascript:document.title='owned',{}.txt"
    (folder / name).write_text(HOSTILE, encoding="utf-8")
    for f in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    store, out = tmp_path / ".kit", folder / "report.html"
    assert main(["ingest", str(folder), "--store", str(store), "--embedder", "hash", "--no-progress"]) == 0
    assert main(["summarize", "--store", str(store), "--embedder", "hash", "--out", str(out)]) == 0
    hrefs = [html.unescape(h) for h in re.findall(r"href='([^']*)'", out.read_text(encoding="utf-8"))]
    assert any("javascript%3A" in h for h in hrefs), hrefs  # the file is cited and linked...
    assert not [h for h in hrefs if re.match(r"\s*[a-z][a-z0-9+.-]*:", h, re.I)]  # ...by a path with no scheme


@pytest.mark.parametrize("link", ["javascript:alert(1)", " \tJava\nScript:alert(1)", "\x01data:text/html,<b>x",
                                  "vbscript:x", "file://evil.example/share/a.txt", "file:////evil.example/a.txt",
                                  "FILE:\\\\evil.example\\a.txt"])
def test_a_link_with_any_scheme_but_http_is_not_written(link: str) -> None:
    """Whatever a links function returns (a notebook may pass its own), a page links only to http,
    https, a relative path or a file:/// URL with no host; anything else leaves the file name as text."""
    page = report_html([made_summary()], links=lambda path: link)
    assert "a.txt" in page and not re.findall(r"href='(?!#)", page)
    for kept in ("https://example.org/a.txt", "http://example.org/a.txt", "../docs/a.txt", "javascript%3Ax.txt",
                 "file:///data/docs/a.txt"):
        assert f"href='{kept}'" in report_html([made_summary()], links=lambda path, k=kept: k)  # type: ignore[misc]


def test_markdown_shows_document_and_model_text_as_text() -> None:
    hostile = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](javascript:y) `code` \\[z]"
    cite = Citation(1, "a`b<i>.txt", 0, 5, "article", hostile, support=Support.SUPPORTED)
    summary = TopicSummary(Topic(1, "t", (hostile,), (), llm_label=hostile),
                           [Claim(hostile, (cite,), Support.SUPPORTED)], Mode.LLM, "openai", notes=[hostile])
    text = report_markdown([summary], title=hostile)
    assert "<img" not in text and "![" not in text and not re.search(r"(?<!\\)\]\(", text)  # no tag, image or link
    assert "<i>" not in text.replace("``a`b<i>.txt``", "")
    assert md(hostile) == ("&lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) !\\[i\\](javascript:y) "
                           "\\`code\\` \\\\\\[z\\]")
    assert "``a`b<i>.txt``" in text  # a file name in a code span its backtick cannot close


def test_a_section_name_from_a_saved_file_is_escaped_too() -> None:
    odd = Citation(1, "a.txt", 0, 5, "<b onmouseover=alert(1)>sidebar</b>", "quote", support=Support.SUPPORTED)
    summary = TopicSummary(Topic(1, "t", (), ()), [Claim("A claim.", (odd,), Support.SUPPORTED)], Mode.EXTRACTIVE,
                           "extractive")
    assert "<b onmouseover" not in report_html([summary]) and "<b onmouseover" not in report_markdown([summary])


@pytest.mark.parametrize("mode", ["relative", "absolute"])
def test_report_links_relative_or_absolute_on_summarize_and_check(mode: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """`report_links`: links relative to the report (it moves with the files), or file:/// URLs of the
    files where they are (a report shared from elsewhere); a `javascript:` name stays a percent-encoded path."""
    from urllib.parse import unquote

    folder, reports = tmp_path / "docs", tmp_path / "reports"
    folder.mkdir()
    reports.mkdir()
    (folder / "javascript:alert(1),{}.txt").write_text(HOSTILE, encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (folder / seed.name).write_bytes(seed.read_bytes())
    monkeypatch.setenv("KIT_REPORT_LINKS", mode)
    store = ["--store", str(tmp_path / ".kit"), "--embedder", "hash"]
    assert main(["ingest", str(folder), *store, "--no-progress"]) == 0
    assert main(["summarize", *store, "--out", str(reports / "r.html")]) == 0
    assert main(["check", "The council met on Monday to discuss the harbour budget for next year.", *store,
                 "--out", str(reports / "c.html")]) == 0
    for page in (reports / "r.html", reports / "c.html"):
        hrefs = [html.unescape(h) for h in re.findall(r"href='([^'#][^']*)'", page.read_text(encoding="utf-8"))]
        assert hrefs and any("javascript%3Aalert" in h for h in hrefs), hrefs
        if mode == "absolute":
            assert all(h.startswith("file:///") for h in hrefs), hrefs
            assert all(Path(unquote(h[len("file://"):])).is_file() for h in hrefs)
        else:
            assert not [h for h in hrefs if re.match(r"\s*[a-z][a-z0-9+.-]*:", h, re.I)], hrefs
            assert all(h.startswith("../docs/") and (reports / unquote(h)).is_file() for h in hrefs), hrefs
