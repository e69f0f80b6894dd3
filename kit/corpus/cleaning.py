"""Boilerplate removal and section labelling for scraped web text.

Works line by line on the text it is given (a file's raw text, or an HTML page's text view, whose
map takes offsets back to the markup), so every kept piece is a verbatim span of that text. It removes
web furniture (donation appeals, vote widgets, share buttons, comment-form text, repeated
titles, link teasers, price ladders) and labels what remains as article, comments or sidebar.
It does not decode files or split text into chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kit.types import OffsetMap, RemovedSpan, Section, Span

_I = re.IGNORECASE


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _I)


# Lines that are furniture wherever they appear (whole-line matches).
_FURNITURE = _rx(
    r"^(share|tweet|email|print|advertisement|sponsored|skip to (main )?content|click to enlarge)$",
    r"^(share|like|follow) (this|on|us)\b.{0,40}$",
    r"^illustrative image$",
    r"^read more\W*$",
    r"^(loading|menu|search|home|close|subscribe)\.*$",
)
_LINK_TEASER = _rx(r"^(read more|see also|related|watch|also read)\s*:")
_VOTE_WIDGET = _rx(
    r"^what do you think\??$", r"^\d+ points?$", r"^upvote\s*downvote$",
    r"^(total votes|upvotes|downvotes|upvotes percentage|downvotes percentage)\s*:",
)
# A header opens a list of comments; a form ("Leave a Reply") usually closes the article and,
# on scraped pages, is followed by teasers of other stories rather than by comments.
_COMMENTS_HEADER = _rx(
    r"^(\d+ )?(comments?|responses?|replies)( \(\d+\))?:?$", r"^view all comments$",
    r"^\d+ (thoughts?|responses?|comments?|replies) (on|to) .{1,150}$",  # "2 thoughts on “Title”"
)
_COMMENTS_FORM = _rx(
    r"^leave a (reply|comment)$", r"^post a comment$", r"^notify of$", r"^inline feedbacks$",
    r"^would love your thoughts", r"^you must be logged in",
)
_FORM_FIELDS = _rx(r"^(name|email|website)\s*\*?$", r"^notify me of", r"^(newest|oldest|most voted)$")
_SIDEBAR_START = _rx(
    r"^popular (posts|stories|articles)", r"^related (posts|articles|stories|news)",
    r"^you (may|might) also like", r"^(recommended|trending|more stories|latest news|most read)\b.{0,30}$",
    r"^more from\b.{0,40}$",
)
_APPEAL_TRIGGER = _rx(
    # The brand alternative must stay case-sensitive ("SouthFront"): under IGNORECASE it matched
    # any word, so "will support the Kurdish forces" was removed as an appeal.
    r"\b(support|donate|donation|patreon|paypal)\b.{0,60}\b(us|our|we|(?-i:[A-Z][a-z]+[A-Z]\w*))\b",
    r"^support \w+$", r"\bsend us\b.*[€$£]", r"\bmug\b.*\bfree\b", r"\bbecome a (patron|member|supporter)\b",
)
_APPEAL_CONTINUE = _rx(r"\b(you|your|we|us|our)\b")
_AMOUNT_ONLY = re.compile(r"^[\s\d.,$€£%]+$")
_COMMENT_AUTHOR = re.compile(r"^.{1,60}\b(said\.{2,}|says:|wrote:)$")
# A Markdown table line ("|---|--:|", "| 2024 | 12.5 |") is no fragment: dropping it would cut the
# table in two blocks and part its rows from the header that says what their cells mean.
_TABLE_LINE = re.compile(r"^\|.*\|")


@dataclass(frozen=True)
class Line:
    """A non-blank raw line, stripped, with its raw offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner keeps and removes for one text."""

    clean_text: str
    offset_map: OffsetMap
    spans: tuple[Span, ...]
    removed: tuple[RemovedSpan, ...]


def split_lines(raw: str) -> list[Line]:
    """Non-blank lines with offsets of their stripped text in `raw`."""
    lines = []
    for m in re.finditer(r"[^\n]+", raw):
        text = m.group()
        stripped = text.strip()
        if stripped:
            lead = len(text) - len(text.lstrip())
            start = m.start() + lead
            lines.append(Line(start, start + len(stripped), stripped))
    return lines


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


class _Cleaner:
    """A small state machine over lines: section, appeal mode, seen lines."""

    def __init__(self) -> None:
        self.section: Section = "article"
        self.in_appeal = False
        self.seen: set[str] = set()
        self.kept: list[tuple[Line, Section]] = []
        self.removed: list[tuple[Line, str]] = []

    def feed(self, line: Line) -> None:
        reason = self._reason(line.text)
        if reason is None:
            self.kept.append((line, self.section))
            if not _COMMENT_AUTHOR.match(line.text):
                self.seen.add(line.text.casefold())
        else:
            self.removed.append((line, reason))

    def _reason(self, text: str) -> str | None:
        if self.in_appeal and _APPEAL_CONTINUE.search(text) and len(text) < 400:
            return "donation appeal"
        self.in_appeal = False
        if (_letters(text) < 3 or _AMOUNT_ONLY.match(text)) and not _TABLE_LINE.match(text):
            return "fragment or price ladder"
        if _SIDEBAR_START.search(text):
            self.section = "sidebar"
            return "sidebar heading"
        if _COMMENTS_HEADER.search(text):
            self.section = "comments"
            return "comments heading"
        if _COMMENTS_FORM.search(text):
            self.section = "sidebar" if self.section == "article" else self.section
            return "comment-form furniture"
        if _COMMENT_AUTHOR.match(text):
            self.section = "comments"
            return None
        return self._reason_in_section(text)

    def _reason_in_section(self, text: str) -> str | None:
        if _FURNITURE.search(text) or _FORM_FIELDS.search(text):
            return "page furniture"
        if _VOTE_WIDGET.search(text):
            return "vote widget"
        if _LINK_TEASER.search(text):
            return "link teaser"
        if len(text) < 300 and _APPEAL_TRIGGER.search(text):
            self.in_appeal = True
            self._pull_back_brand_line(text)
            return "donation appeal"
        if text.casefold() in self.seen:
            return "repeated line"
        return None

    def _pull_back_brand_line(self, appeal: str) -> None:
        """A short line just before an appeal that the appeal names ("The Duran") is its signature."""
        if self.kept and len(self.kept[-1][0].text) < 40 and self.kept[-1][0].text in appeal:
            line, _ = self.kept.pop()
            self.removed.append((line, "donation appeal"))


def clean(raw: str) -> Cleaned:
    """Remove boilerplate from `raw`, label sections, and map clean offsets to raw offsets."""
    cleaner = _Cleaner()
    for line in split_lines(raw):
        cleaner.feed(line)
    spans = tuple(Span(line.start, line.end, section) for line, section in cleaner.kept)
    removed = tuple(
        sorted((RemovedSpan(ln.start, ln.end, why, ln.text) for ln, why in cleaner.removed), key=lambda r: r.start)
    )
    clean_text, pieces = _join(raw, spans)
    return Cleaned(clean_text, OffsetMap(tuple(pieces)), spans, removed)


def keep_lines(raw: str) -> Cleaned:
    """Every non-blank line of `raw` kept, as article: a document's own text (PDF, DOCX), not a web page."""
    spans = tuple(Span(line.start, line.end, "article") for line in split_lines(raw))
    clean_text, pieces = _join(raw, spans)
    return Cleaned(clean_text, OffsetMap(tuple(pieces)), spans, ())


def _join(raw: str, spans: tuple[Span, ...]) -> tuple[str, list[tuple[int, int, int]]]:
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    pos = 0
    for span in spans:
        if parts:
            parts.append("\n")
            pos += 1
        pieces.append((pos, span.start, span.end - span.start))
        parts.append(raw[span.start:span.end])
        pos += span.end - span.start
    return "".join(parts), pieces
