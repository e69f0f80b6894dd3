"""HTML as plain text that keeps a map back to every character of the markup.

One pass over the markup gives the page's text view, the text a reader sees: tags removed,
character references decoded (`&amp;` is `&`), runs of whitespace collapsed to one space, a line
break where a block (`<p>`, `<li>`, `<h2>`) or a `<br>` ends a line, `<pre>` kept as written. Every
character of the view knows the raw range it came from (a `RawMap`): a text character its own, a
decoded reference the whole reference, a collapsed space its run of whitespace, a line break the
tag that made it. So any span of the view is a span of the file whose markup, stripped of tags and
decoded, reads as that span.

Never in the view: the head, scripts, styles, forms, navigation, the page's own header and footer,
asides, and elements whose class, id or role says they are navigation, menus, sidebars, sharing
buttons, ads or cookie banners. Reader comments (an element whose class or id names comments)
stay, marked as such. This module does not decide boilerplate line by line (see `cleaning`),
nor chunk; it reads no files.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from typing import SupportsIndex

from kit.types import RawMap, Span

# Bump when the view of a page changes: a page's content hash carries it, so a sync re-chunks
# every HTML file ingested before (their chunks' spans meant something else). 2: spans in the raw
# markup (1 indexed text extracted by an older reader).
VIEW_VERSION = 2

_TOKEN = re.compile(r"""
    (?P<comment><!--.*?(?:-->|\Z))
  | (?P<decl><[!?][^>]*>)
  | (?P<end></(?P<ename>[a-zA-Z][^\s/>]*)[^>]*>)
  | (?P<start><(?P<sname>[a-zA-Z][^\s/>]*)(?P<attrs>(?:[^>"']|"[^"]*"|'[^']*')*)>)
  | (?P<ref>&(?:\#[0-9]+;?|\#[xX][0-9a-fA-F]+;?|[^\t\n\f <&\#;]{1,32};?))
""", re.S | re.X)
_SPACE = re.compile(r"[ \t\n\r\f]+|[^ \t\n\r\f]+")
_ATTR = re.compile(r"""\b(class|id|role)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)

# Elements whose content is raw text up to their end tag (html.parser reads script and style so).
_OPAQUE = frozenset({"script", "style", "textarea", "title", "xmp", "noembed", "noframes"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
_SKIP = frozenset({"head", "noscript", "template", "svg", "math", "nav", "footer", "aside", "form", "button",
                   "select", "iframe", "object", "canvas", "dialog", "menu"})
_SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
# Words of a class or id ("main-nav", "share_buttons", "sidebar") that mark page furniture.
_SKIP_WORDS = frozenset({"nav", "navbar", "navigation", "menu", "sidebar", "sphinxsidebar", "footer", "colophon",
                         "share", "sharing", "social", "related", "cookie", "cookies", "ad", "ads", "advert",
                         "advertisement", "promo", "newsletter", "breadcrumb", "breadcrumbs", "subscribe",
                         "widget", "masthead", "skip", "topbar", "headerlink"})
_COMMENT_WORDS = frozenset({"comment", "comments", "replies", "responses", "discussion"})
_BLOCK = frozenset({"address", "article", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
                    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
                    "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot",
                    "thead", "tr", "ul", "br"})
_CELL = frozenset({"td", "th"})
# Elements whose end tag may be left out: the next one of their kind (or, for <p>, any block) ends them.
_IMPLIED_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})


@dataclass(frozen=True)
class Element:
    """An open element and what it means for the text inside it (inherited from its parents)."""

    name: str
    skip: bool = False
    comments: bool = False
    pre: bool = False
    content: bool = False  # inside <article> or <main>: its <header> is the story's, not the site's


@dataclass(frozen=True)
class PageText:
    """The text view of a page, its map to the markup, and the view ranges of reader comments."""

    text: str
    raw_map: RawMap
    comments: tuple[tuple[int, int], ...]
    breaks: tuple[int, ...]  # text offsets where left-out markup (a script, a share bar) sat


class _Stack(list[Element]):
    """The open elements, counted by name: an end tag with no open element of its name costs no
    search (a page of 20,000 stray end tags must not take quadratic time)."""

    def __init__(self, items: list[Element]) -> None:
        super().__init__(items)
        self.open: dict[str, int] = {}

    def push(self, element: Element) -> None:
        self.append(element)
        self.open[element.name] = self.open.get(element.name, 0) + 1

    def pop(self, index: SupportsIndex = -1) -> Element:
        element = super().pop(index)
        self.open[element.name] -= 1
        return element

    def close(self, name: str) -> None:
        """Close the innermost open `name` and every element opened inside it."""
        if self.open.get(name, 0) > 0:
            while self.pop().name != name:
                pass


@dataclass
class _Builder:
    chars: list[str] = field(default_factory=list)
    runs: list[tuple[int, int, int, int]] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    size: int = 0

    def left_out(self) -> None:
        """Markup left out of the text sits here: no chunk or quote may span it, or its raw span would
        hold that markup's text."""
        if not self.breaks or self.breaks[-1] != self.size:
            self.breaks.append(self.size)

    def emit(self, text: str, raw_start: int, raw_end: int, comments: bool) -> None:
        """Append `text`, taken from raw[raw_start:raw_end]."""
        prev = self.runs[-1] if self.runs else None
        same_width = len(text) == raw_end - raw_start
        if (prev and same_width and prev[2] == prev[3] and prev[0] + prev[2] == self.size
                and prev[1] + prev[3] == raw_start):
            self.runs[-1] = (prev[0], prev[1], prev[2] + len(text), prev[3] + len(text))
        else:
            self.runs.append((self.size, raw_start, len(text), raw_end - raw_start))
        if comments:
            if self.comments and self.comments[-1][1] == self.size:
                self.comments[-1] = (self.comments[-1][0], self.size + len(text))
            else:
                self.comments.append((self.size, self.size + len(text)))
        self.chars.append(text)
        self.size += len(text)

    @property
    def last(self) -> str:
        return self.chars[-1][-1] if self.chars else "\n"

    def space(self, raw_start: int, raw_end: int, comments: bool) -> None:
        if self.last not in " \n":
            self.emit(" ", raw_start, raw_end, comments)

    def line_break(self, raw_start: int, raw_end: int, comments: bool) -> None:
        if self.last == "\n":
            return
        if self.last == " ":  # a space before a line break is no text of its own
            self.pop()
        self.emit("\n", raw_start, raw_end, comments)

    def pop(self) -> None:
        """Take back the last character (a separator: a space or line break, one character wide)."""
        self.chars[-1] = self.chars[-1][:-1]
        if not self.chars[-1]:
            self.chars.pop()
        start, raw, length, width = self.runs.pop()
        if length > 1:  # part of a run of text copied as is: one raw character per character
            self.runs.append((start, raw, length - 1, width - 1))
        self.size -= 1
        if self.comments and self.comments[-1][1] > self.size:
            a, _ = self.comments.pop()
            if a < self.size:
                self.comments.append((a, self.size))


def page_text(markup: str) -> PageText:
    """The text view of an HTML page, with its map back to `markup`."""
    out = _Builder()
    stack = _Stack([Element("#root")])
    pos = 0
    while pos < len(markup):
        m = _TOKEN.search(markup, pos)
        stop = m.start() if m else len(markup)
        if stop > pos:
            _data(out, stack[-1], markup, pos, stop)
        if m is None:
            break
        pos = m.end()
        if m.group("start"):
            pos = _start_tag(out, stack, markup, m)
        elif m.group("end"):
            _end_tag(out, stack, m)
        elif m.group("ref"):
            _reference(out, stack[-1], markup, m.start(), m.end())
    text = "".join(out.chars)
    while text.endswith((" ", "\n")):  # a trailing separator maps to no text of the page
        out.pop()
        text = text[:-1]
    breaks = tuple(b for b in out.breaks if b < len(text))
    return PageText(text, RawMap(tuple(out.runs)), tuple(out.comments), breaks)


def _data(out: _Builder, here: Element, raw: str, start: int, end: int) -> None:
    if here.skip:
        return
    if here.pre:
        out.emit(raw[start:end], start, end, here.comments)
        return
    for m in _SPACE.finditer(raw, start, end):
        if m.group()[0] in " \t\n\r\f":
            out.space(m.start(), m.end(), here.comments)
        else:
            out.emit(m.group(), m.start(), m.end(), here.comments)


def _reference(out: _Builder, here: Element, raw: str, start: int, end: int) -> None:
    """A character reference: decoded as `html.unescape` decodes it; unknown ones stay text."""
    if here.skip:
        return
    token = raw[start:end]
    decoded = html.unescape(token)
    if decoded == token:
        _data(out, here, raw, start, end)
    else:
        out.emit(decoded, start, end, here.comments)


def _start_tag(out: _Builder, stack: _Stack, raw: str, m: re.Match[str]) -> int:
    """Open the element (or skip an opaque one whole); returns where reading goes on."""
    name = m.group("sname").lower()
    top = stack[-1].name
    if top in _IMPLIED_END and (name == top or (top == "p" and name in _BLOCK and name != "br")):
        stack.pop()  # "<p>one<p>two": a new paragraph (item, row, cell) ends the open one, as browsers read it
    here = stack[-1]
    if name in _OPAQUE:
        out.left_out()
        close = re.compile(rf"</{name}\s*>", re.I).search(raw, m.end())
        return close.end() if close else len(raw)
    if name in _BLOCK and not here.skip:
        out.line_break(m.start(), m.end(), here.comments)
    elif name in _CELL and not here.skip:
        out.space(m.start(), m.end(), here.comments)
    if name not in _VOID and not m.group("attrs").rstrip().endswith("/"):
        stack.push(_child(here, name, m.group("attrs")))
        if stack[-1].skip and not here.skip:
            out.left_out()
    return m.end()


def _child(parent: Element, name: str, attrs: str) -> Element:
    marks = {key.lower(): value.strip("\"'").lower() for key, value in _ATTR.findall(attrs)}
    words = set(re.split(r"[\s_-]+", f"{marks.get('class', '')} {marks.get('id', '')}")) - {""}
    skip = (name in _SKIP or marks.get("role", "") in _SKIP_ROLES or bool(words & _SKIP_WORDS)
            or (name == "header" and not parent.content))
    return Element(name, parent.skip or skip, parent.comments or bool(words & _COMMENT_WORDS),
                   parent.pre or name == "pre", parent.content or name in ("article", "main"))


def _end_tag(out: _Builder, stack: _Stack, m: re.Match[str]) -> None:
    name = m.group("ename").lower()
    stack.close(name)
    here = stack[-1]
    if name in _BLOCK and not here.skip:
        out.line_break(m.start(), m.end(), here.comments)
    elif name in _CELL and not here.skip:
        out.space(m.start(), m.end(), here.comments)


def page_spans(spans: tuple[Span, ...], page: PageText) -> tuple[Span, ...]:
    """The cleaner's `spans` of a page's text cut where markup was left out (see `PageText.breaks`),
    those inside reader comments labelled so."""
    def inside(at: int) -> bool:
        k = bisect_right(page.comments, at, key=lambda r: r[0]) - 1
        return k >= 0 and at < page.comments[k][1]
    out = []
    for span in spans:
        for start, end in _cut(page.text, span.start, span.end, page.breaks):
            out.append(Span(start, end, "comments" if inside(start) else span.section))
    return tuple(out)


def _cut(text: str, start: int, end: int, breaks: tuple[int, ...]) -> list[tuple[int, int]]:
    """[start, end) cut at the breaks inside it, each piece stripped of whitespace."""
    edges = [start, *(b for b in breaks if start < b < end), end]
    pieces = []
    for a, b in pairwise(edges):
        piece = text[a:b]
        a, b = a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))
        if a < b:
            pieces.append((a, b))
    return pieces


class PageIndex:
    """A page's text view, looked up by raw span: what a citation of the markup reads as."""

    def __init__(self, markup: str) -> None:
        page = page_text(markup)
        self.text = page.text
        # Raw offsets where a character of the text starts or ends. Separators (a collapsed space,
        # a line break a tag made) are left out: no quote starts or ends on one, so a span there
        # starts or ends in markup.
        self.starts: dict[int, int] = {}
        self.ends: dict[int, int] = {}
        for ts, rs, tl, rl in page.raw_map.runs:
            for i in range(ts, ts + tl):
                if self.text[i].isspace() and tl != rl:
                    continue
                first, last = (rs + i - ts, rs + i - ts + 1) if tl == rl else (rs, rs + rl)
                self.starts.setdefault(first, i)
                self.ends[last] = i + 1

    def at(self, start: int, end: int) -> str | None:
        """The text of raw[start:end], or None when the span starts or ends inside markup (a tag,
        a character reference) or in what the page's text leaves out (a script, the navigation)."""
        i, j = self.starts.get(start), self.ends.get(end)
        return self.text[i:j] if i is not None and j is not None and i < j else None

    def context(self, start: int, end: int, width: int) -> tuple[str, str, str] | None:
        """The text of raw[start:end] with up to `width` characters of text before and after it."""
        i, j = self.starts.get(start), self.ends.get(end)
        if i is None or j is None or i >= j:
            return None
        return self.text[max(0, i - width):i], self.text[i:j], self.text[j:j + width]
