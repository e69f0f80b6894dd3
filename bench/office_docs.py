"""PDF and DOCX files made by real writers (reportlab, python-docx), with the sentences each holds
and where: the page of every sentence of a PDF, the paragraph of every sentence of a DOCX.

The PDFs are laid out the way real ones are: a running header and a page number on every page,
two columns, a footnote, words hyphenated at line ends, ligature glyphs (U+FB01 for "fi"), non-ASCII
names, a table with grid lines. Text is drawn line by line with the font's own metrics, so
the file is what a typesetter writes, not a text dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

_LIGATURES = {"fi": "\ufb01", "fl": "\ufb02"}


@dataclass
class Written:
    """A file written, and every sentence in it with its page (PDF) or paragraph (DOCX), 1-based."""

    path: Path
    sentences: list[tuple[str, int]] = field(default_factory=list)
    cells: list[tuple[str, int]] = field(default_factory=list)  # a PDF table's cells and their page


def font_path() -> Path:
    """DejaVu Sans (it has the fi ligature and accented letters); matplotlib ships a copy."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


# Sentences long enough to wrap, with words worth hyphenating and ligatures to draw.
HARBOUR = [
    "The harbour board approved a new breakwater of 420 metres after three years of consultation.",
    "Engineers from Malmö and Gdańsk reviewed the final figures before the vote in October.",
    "Construction will begin in spring and is expected to take approximately nineteen months.",
    "The fishing cooperative asked for a temporary mooring area during the works.",
    "Funding comes from the regional infrastructure programme and from harbour dues.",
    "Residents of Kørsholm worried about traffic, so deliveries will arrive by barge instead.",
]
LIBRARY = [
    "The municipal library extended its opening hours to ten o'clock on weekday evenings.",
    "Visitors borrowed 18,250 books last year, a rise of twelve percent over the previous year.",
    "A reading programme for children meets every Saturday in the renovated east wing.",
    "The librarian, Zoë Ferreira, said the new catalogue had simplified inter-library loans considerably.",
    "Volunteers digitised the town's nineteenth-century newspapers with a grant from the heritage fund.",
    "The café beside the reading room will reopen in March under a new tenant.",
]
RAILWAY = [
    "The railway museum restored a steam locomotive built in 1912 for the coastal line.",
    "Its boiler was certified after hydraulic tests at the workshop in Åbo.",
    "The locomotive will run on summer Sundays between the museum and the old ferry pier.",
    "Tickets cost eight euros for adults and are free for children under twelve.",
    "The flywheel of the museum's stationary engine was also repaired during the winter.",
    "Organisers expect about six thousand passengers in the first season.",
]
FOOTNOTE = "The survey of residents was carried out by the university in May."


def write_pdf(path: Path, chapters: list[list[str]], header: str = "Riverton Civic Bulletin",
              two_columns: bool = True, footnote: bool = True, ligatures: bool = True,
              table: list[tuple[str, ...]] | None = None, interleaved: bool = False) -> Written:
    """One chapter per page (the first page in two columns when `two_columns`), a running header
    and "Page N of M" on every page; long words hyphenated at line ends; `table` (rows of cells)
    drawn with grid lines below the last chapter, its cells listed in `Written.cells`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(font_path())))
    out = Written(path)
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4)
    for number, chapter in enumerate(chapters, 1):
        c.setFont("DejaVu", 9)
        c.drawString(72, height - 50, header)
        columns = [chapter[:len(chapter) // 2], chapter[len(chapter) // 2:]] if two_columns and number == 1 \
            else [chapter]
        col_width = (width - 144 - 24) / len(columns)
        lines = [_wrap(sentences, col_width) for sentences in columns]
        # `interleaved`: line by line across the columns, as some writers draw them; else column by column.
        order = [(k, n) for n in range(max(map(len, lines))) for k in range(len(lines))] if interleaved \
            else [(k, n) for k in range(len(lines)) for n in range(len(lines[k]))]
        for k, n in order:
            if n < len(lines[k]):
                _draw(c, 72 + k * (col_width + 24), height - 90 - 15 * n, lines[k][n], 11, ligatures)
        out.sentences += [(s, number) for sentences in columns for s in sentences]
        if table and number == len(chapters):
            _table(c, table, height - 420)
            out.cells += [(cell, number) for row in table for cell in row]
        if footnote and number == 1:
            c.setFont("DejaVu", 8)
            c.drawString(72, 90, f"1 {FOOTNOTE}")
            out.sentences.append((FOOTNOTE, number))
        c.setFont("DejaVu", 9)
        c.drawString(width / 2 - 30, 40, f"Page {number} of {len(chapters)}")
        c.showPage()
    c.save()
    return out


def _table(c: object, rows: list[tuple[str, ...]], top: float) -> None:
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=[140] * len(rows[0]))
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    _, h = table.wrapOn(c, 500, 300)
    table.drawOn(c, 72, top - h)


def _wrap(sentences: list[str], width: float, size: int = 11) -> list[str]:
    """The sentences broken into lines of at most `width` points, long words hyphenated at line ends."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    line = ""
    for word in " ".join(sentences).split():
        trial = f"{line} {word}".strip()
        if stringWidth(trial, "DejaVu", size) <= width:
            line = trial
            continue
        head, tail = _hyphenate(line, word, width, size)
        lines.append(f"{line} {head}".strip() if head else line)
        line = tail
    return lines + ([line] if line else [])


def _hyphenate(line: str, word: str, width: float, size: int) -> tuple[str, str]:
    """Split a long word so its head (with a hyphen) still fits on the line: ("approxi-", "mately")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if len(word) < 8 or not word.isalpha():
        return "", word
    for cut in range(len(word) - 3, 3, -1):
        head = word[:cut] + "-"
        if stringWidth(f"{line} {head}".strip(), "DejaVu", size) <= width:
            return head, word[cut:]
    return "", word


def _draw(c: object, x: float, y: float, text: str, size: int, ligatures: bool) -> None:
    if ligatures:
        for pair, glyph in _LIGATURES.items():
            text = text.replace(pair, glyph)
    c.setFont("DejaVu", size)  # type: ignore[attr-defined]
    c.drawString(x, y, text)  # type: ignore[attr-defined]


SERVICES = [("Service", "Visitors", "Change"), ("Library", "18,250", "+12%"), ("Museum", "6,000", "new")]


def write_docx(path: Path) -> Written:
    """A report with a title, headings, paragraphs and a table; paragraphs numbered as kit counts them:
    every non-empty paragraph (headings included) and every table row, in document order."""
    import docx

    out = Written(path)
    document = docx.Document()
    n = 0

    def para(text: str, style: str | None = None) -> None:
        nonlocal n
        document.add_paragraph(text, style=style)
        n += 1
        out.sentences.append((text, n)) if style is None else None

    document.add_heading("Riverton annual report", level=1)
    n += 1
    for heading, sentences in (("The harbour", HARBOUR), ("The library", LIBRARY)):
        document.add_heading(heading, level=2)
        n += 1
        for s in sentences:
            para(s)
    table = document.add_table(rows=3, cols=3)
    for r, values in enumerate(SERVICES):
        for k, value in enumerate(values):
            table.cell(r, k).text = value
        n += 1
        out.sentences.append((" | ".join(values), n))
    for s in RAILWAY:
        para(s)
    document.save(str(path))
    return out


def write_flowing_pdf(path: Path, paragraphs: list[str], header: str = "Riverton Civic Bulletin") -> Path:
    """Paragraphs flowed by reportlab's layout engine through two columns a page (text runs on from
    the foot of the left column to the head of the right one, and on to the next page), with a
    running header and page number drawn on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    pdfmetrics.registerFont(TTFont("DejaVu", str(font_path())))
    width, height = A4
    column = (width - 144 - 24) / 2
    frames = [Frame(72 + k * (column + 24), 80, column, height - 170, id=f"col{k}") for k in range(2)]

    def furniture(c: object, doc: object) -> None:
        c.setFont("DejaVu", 9)  # type: ignore[attr-defined]
        c.drawString(72, height - 50, header)  # type: ignore[attr-defined]
        c.drawString(width / 2 - 20, 40, f"Page {doc.page}")  # type: ignore[attr-defined]

    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate("two", frames, onPage=furniture)])
    style = ParagraphStyle("body", fontName="DejaVu", fontSize=10, leading=13, spaceAfter=6)
    doc.build([Paragraph(p, style) for p in paragraphs])
    return path
