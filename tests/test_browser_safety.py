"""Hostile file names, document text and model-written labels and claims, rendered into
report.html and report.md and opened in headless Chromium: no script runs, and every link
in the page is http, https or a relative path.

The Markdown report is turned into HTML by the `markdown` package, which passes raw HTML
through as a Markdown viewer does, so whatever a document or a model wrote must arrive there as
text. Each payload, if it ever ran, would set the page title to PWNED or add a <pwned> element;
Chromium's DOM after load (and 2 s of virtual time for onerror handlers) must show neither.
Chromium comes from Debian (`make install` installs it as root); this test never skips.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

import kit
from kit.cli import main
from kit.findings import Agreement, Difference
from kit.report import report_html, report_markdown
from kit.results import Topic, TopicSummary
from kit.types import Citation, Claim, Mode, Provenance, Support
from tests.helpers import SEEDS

TITLE = "document.title='PWNED'"
NODE = "document.body.appendChild(document.createElement('pwned'))"
PAYLOADS = [
    f"<script>{TITLE}</script>",
    f"<img src=x onerror=\"{NODE}\">",
    f"[click here](javascript:{TITLE})",
    f"![img](javascript:{TITLE})",
    f"<a href=\"javascript:{TITLE}\">read more</a>",
    f"<svg onload={TITLE}>",
    f"<javascript:{TITLE}>",
    f"`</code><img src=x onerror=\"{NODE}\">`",
    f"[ref]: javascript:{TITLE}",
    f"&lt;script&gt;{TITLE}&lt;/script&gt;",
    "[data](data:text/html;base64,PHNjcmlwdD5kb2N1bWVudC50aXRsZT0nUFdORUQnPC9zY3JpcHQ+)",
    "[vb](vbscript:msgbox(1))",
    f"[colon](javascript&colon;{TITLE})",
    f"[ent](&#106;avascript:{TITLE})",
    f"[tab](java\tscript:{TITLE})",
    f"[angle](<javascript:{TITLE}>)",
    f"[ref link][evil]\n\n[evil]: javascript:{TITLE}\n",
    f"<style>body{{background:url('javascript:{TITLE}')}}</style>",
    f"<svg><script>{TITLE}</script></svg>",
    f"<iframe srcdoc=\"<script>parent.{TITLE}</script>\"></iframe>",
    f"<details open ontoggle=\"{NODE}\">",
    f"<a href=\"&#x6A;avascript:{TITLE}\">x</a>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{TITLE}\">",
    f"<math><mtext><table><mglyph><style><img src=x onerror=\"{NODE}\">",
    f"[![i](x)](javascript:{TITLE})",
    f"<form action=\"javascript:{TITLE}\"><button>go</button></form>",
]
NAMES = [
    f"javascript:{TITLE},{{}}.txt",
    f"\"><img src=x onerror={TITLE}>.txt",
    f"a`<img src=x onerror={TITLE}>`.txt",
    f"[x](javascript:{TITLE}).txt",
    "vbscript:msgbox(1).txt",
    f"JaVaScRiPt:{TITLE}.txt",
    f" javascript:{TITLE}.txt",
    f"<svg onload={TITLE}>.txt",
    f"&#106;avascript:{TITLE}.txt",
    f"data:text,{TITLE}.txt",
]
SENTENCE = ("The harbour council in Dunmore voted on the {n} budget line, and a resident wrote {payload} in "
            "the council's public comment form that evening.")


def council_text(n: int) -> str:
    """A document about the harbour council holding every payload, different for each file."""
    lines = [SENTENCE.format(n=f"{n}-{i}", payload=p) for i, p in enumerate(PAYLOADS)]
    return ("The harbour council of Dunmore met on Monday to discuss its budget for next year.\n\n"
            + "\n\n".join(lines) + f"\n\nThe council approved budget number {n} after a final vote.\n")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: `make install` installs it (apt-get install chromium)"
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """docs/ with a seed and the hostile files, ingested into .kit beside it."""
    project = tmp_path_factory.mktemp("hostile")
    docs = project / "docs"
    docs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:1]:
        shutil.copy(seed, docs / seed.name)
    for n, name in enumerate(NAMES):
        (docs / name).write_text(council_text(n), encoding="utf-8")
    assert main(["ingest", str(docs), "--store", str(project / ".kit"), "--embedder", "hash", "--no-progress"]) == 0
    return project, docs


def model_summary(path: str) -> TopicSummary:
    """A summary as a language model could write it: label, keywords, claims, reasons and notes
    holding payloads, citing a hostile file."""
    cite = Citation(1, path, 0, 40, "article", f"Budget quote {PAYLOADS[1]}", support=Support.SUPPORTED)
    other = Citation(2, NAMES[1], 5, 60, "article", f"Other {PAYLOADS[2]}", support=Support.SUPPORTED)
    claims = [Claim(f"The council met. {p}", (cite,), Support.SUPPORTED) for p in PAYLOADS] + [
        Claim(f"Unbacked {PAYLOADS[0]}", (other,), Support.UNSUPPORTED, (f"number {PAYLOADS[4]} not in the quote",))]
    topic = Topic(1, "harbour", tuple(PAYLOADS[5:]), (), llm_label=f"Harbour {PAYLOADS[1]} {PAYLOADS[2]}")
    return TopicSummary(topic, claims, Mode.LLM, "openai", [Agreement(f"Agreed {PAYLOADS[6]}", (cite, other))],
                        [Difference(f"budget {PAYLOADS[3]}", ((f"12 {PAYLOADS[0]}", cite), ("13", other)))],
                        notes=[f"model note {PAYLOADS[4]}"])


def pages(corpus: tuple[Path, Path], tmp: Path) -> dict[str, Path]:
    """report.html and report.md written by `kit summarize` inside the corpus folder, and the
    same for a model-written summary; each Markdown file also converted to HTML."""
    project, docs = corpus
    store = ["--store", str(project / ".kit"), "--embedder", "hash", "--sentences", "12"]
    out: dict[str, Path] = {}
    for suffix in ("html", "md"):
        path = docs / f"report.{suffix}"
        assert main(["summarize", "--topics", "harbour council budget", "--out", str(path), *store]) == 0
        out[f"cli.{suffix}"] = path
    provenance = Provenance((f"docs/{NAMES[0]}",), {}, "9.9.9", {"llm_model": PAYLOADS[1]}, PAYLOADS[0])
    summary = model_summary(f"docs/{NAMES[0]}")
    out["model.html"] = tmp / "model.html"
    links = kit.open(store_dir=project / ".kit", embedder="hash").file_links(out["model.html"])
    out["model.html"].write_text(report_html([summary], provenance, title=PAYLOADS[1], links=links), encoding="utf-8")
    out["model.md"] = tmp / "model.md"
    out["model.md"].write_text(report_markdown([summary], provenance, title=PAYLOADS[1]), encoding="utf-8")
    for name in [n for n in out if n.endswith(".md")]:
        converted = out[name].with_suffix(".md.html")
        body = markdown.markdown(out[name].read_text(encoding="utf-8"))
        converted.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>Report</title></head>"
                             f"<body>{body}</body></html>", encoding="utf-8")
        out[name] = converted
    return out


class Dom(HTMLParser):
    """The tags, attributes, links, title and text of a page as Chromium serialised it after load."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.title = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")]

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1] == "title" and not self.title:
            self.title = data
        self.text.append(data)


def dom_after_load(chromium: str, page: Path, profile: Path) -> Dom:
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "</html>" in done.stdout, done.stderr[-2000:]
    return Dom(done.stdout)


def unsafe_link(href: str) -> bool:
    """True unless `href` is http, https or a relative path (no scheme: a `javascript:` name
    is percent-encoded to `javascript%3A`)."""
    scheme = re.match(r"\s*([a-z][a-z0-9+.-]*):", href, re.I)
    return bool(scheme) and scheme.group(1).lower() not in ("http", "https")  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def loaded(chromium: str, corpus: tuple[Path, Path],
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Dom]]:
    """Each page, and its DOM after Chromium loaded it (a fresh profile each)."""
    tmp = tmp_path_factory.mktemp("pages")
    return {name: (page, dom_after_load(chromium, page, tmp / f"profile-{name.replace('.', '-')}"))
            for name, page in pages(corpus, tmp).items()}


def test_no_script_runs_and_every_link_is_safe(loaded: dict[str, tuple[Path, Dom]]) -> None:
    assert set(loaded) == {"cli.html", "cli.md", "model.html", "model.md"}
    for name, (_, dom) in loaded.items():
        assert dom.title and dom.title != "PWNED", (name, dom.title)  # loaded, and no payload set the title
        assert "pwned" not in dom.tags, name  # no payload added its element
        live = {"script", "iframe", "object", "embed", "svg", "img", "form"} & set(dom.tags)
        assert not live and not dom.handlers, (name, live, dom.handlers)
        assert not [h for h in dom.hrefs if unsafe_link(h)], (name, dom.hrefs)


def test_the_payloads_reach_the_pages_as_text(loaded: dict[str, tuple[Path, Dom]]) -> None:
    """Not a vacuous pass: the hostile files are cited and linked, and the payloads are on the page, as text."""
    for name, (_, dom) in loaded.items():
        text = "".join(dom.text)
        shown = [p for p in PAYLOADS if p in text]
        missing = [p for p in PAYLOADS if p not in shown]
        assert len(shown) >= (3 if name.startswith("cli") else len(PAYLOADS) - 2), (name, missing)
        assert sum(n in text for n in NAMES[1:]) >= 2 or name.startswith("model"), name
    links = [h for page in ("cli.html", "model.html") for h in Dom(loaded[page][0].read_text(encoding="utf-8")).hrefs]
    assert any("javascript%3A" in h for h in links) and any("%3Cimg" in h for h in links), links
    assert not [h for h in links if unsafe_link(h)], links
