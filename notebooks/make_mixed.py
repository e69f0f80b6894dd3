"""Write notebooks/mixed/, the sample folder notebook 01 ingests: a PDF, a DOCX, an HTML page and a Markdown file.

A small made-up topic, the harbour of Port Velden and its council, written by real writers so the
readers meet what users' files hold: the PDF is printed by headless Chromium from an HTML page
(two pages; the answers to the notebook's first question are on page 2), the DOCX is written by
python-docx (council minutes; the notebook's second question is answered by one paragraph), the
HTML page has a nav and a footer for the cleaner to drop, and the Markdown file is plain notes.

Run from anywhere, when the texts below change (tests do not run it; they read the committed files):

    python notebooks/make_mixed.py            # needs python-docx and /usr/bin/chromium

The generated files are committed; Chromium stamps the PDF with its creation date, so a rerun
changes its bytes even when the text is the same.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent / "mixed"  # the script sits beside it, so ingest skips no .py
CHROMIUM = "/usr/bin/chromium"

BULLETIN = """<!doctype html><html><head><meta charset="utf-8"><title>Port Velden Harbour Bulletin</title>
<style>body{font-family:serif;font-size:13pt;margin:2cm} h1{font-size:20pt}</style></head><body>
<h1>Port Velden Harbour Bulletin</h1>
<p>Port Velden is a small fishing town on the northern coast of the fictional province of Almark.
Its harbour was dug in 1874 to shelter the herring fleet from the winter storms.</p>
<p>The harbour master, Ingrid Sollen, oversees the quays, the lighthouse and the pilot boats.
Forty-two fishing boats are registered in the harbour this year.</p>
<div style="page-break-before:always">
<h2>The new breakwater</h2>
<p>The new breakwater was finished in March 2019 after three years of work.
The breakwater cost 41 million euros, paid by the province and the town together.</p>
<p>Since the breakwater was built, no boat has been lost to a storm inside the harbour.
The old wooden pier was kept as a walkway for visitors.</p>
</div>
</body></html>
"""

MINUTES = [
    ("Port Velden Town Council: minutes of the meeting of 14 May 2024", "Title"),
    ("Present: the mayor, Tomas Brekke, and twelve councillors. The harbour master attended as a guest.", None),
    ("Ferry service", "Heading 1"),
    ("The council voted nine to four to extend the ferry service to Skarholm island through the winter months.",
     None),
    ("The winter ferry will sail twice a day, from the east quay, starting on 1 November 2024.", None),
    ("Harbour fees", "Heading 1"),
    ("Mooring fees for visiting yachts will rise by five percent next season; fishing boats pay no increase.",
     None),
]

MUSEUM = """<!doctype html><html><head><meta charset="utf-8"><title>Harbour Museum of Port Velden</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/visit">Visit</a> | <a href="/shop">Shop</a> | <a href="/contact">Contact</a></nav>
<main>
<h1>Harbour Museum</h1>
<p>The Harbour Museum stands on the old wooden pier of Port Velden. It tells the story of the herring
fleet, from the first sailing boats to the diesel trawlers of the 1960s.</p>
<p>The museum is open from Tuesday to Sunday, from ten in the morning to five in the afternoon.
Entry is free for children under twelve.</p>
</main>
<footer>Copyright 2024 Harbour Museum of Port Velden. All rights reserved. Privacy policy | Cookies</footer>
</body></html>
"""

NOTES = """# Port Velden fishing cooperative

The fishing cooperative of Port Velden was founded in 1952 by eleven families.

It sells the day's catch at the fish auction on the east quay every morning at six.
Most of the catch is cod and haddock; herring has been rare since the 1980s.
"""


def write_pdf(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "bulletin.html"
        page.write_text(BULLETIN, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", page.as_uri()], check=True, capture_output=True, timeout=120)


def write_docx(out: Path) -> None:
    document = docx.Document()
    for text, style in MINUTES:
        document.add_paragraph(text, style=style)
    document.save(str(out))


def main() -> int:
    write_pdf(HERE / "harbour_bulletin.pdf")
    write_docx(HERE / "council_minutes.docx")
    (HERE / "museum.html").write_text(MUSEUM, encoding="utf-8")
    (HERE / "cooperative.md").write_text(NOTES, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
