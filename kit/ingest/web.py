"""Keep web pages in the store: fetch each URL, save its snapshot in the store folder, and sync the
snapshot as a source of kind "url", as a folder is synced (an unchanged page embeds nothing; a
changed page's chunks are replaced).

Pages are fetched before the store is locked (the network is the slow part) and held in memory,
at most `max_file_mb` each; a snapshot is written only under the lock and only for a page that
was fetched in full, so a failed refetch keeps the old snapshot and its chunks. One URL that fails
never stops the others. This module does not parse HTML (the HTML reader does, from the snapshot).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kit.config import Settings
from kit.corpus.web import FetchError, Page, canonical, fetch, save, snapshot_path
from kit.embeddings import Embedder
from kit.errors import InputError, NothingToIngestError
from kit.ingest.repair import Upkeep
from kit.ingest.sync import find, sync
from kit.location import Location, shown
from kit.progress import Progress
from kit.store.remove import remove
from kit.store.writer import Write
from kit.text import plural
from kit.types import FileIssue, IngestReport, IssueKind


def read_url_list(path: Path) -> list[str]:
    """The URLs of a list file: one a line; blank lines and lines starting with # are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"--urls {shown(str(path))}: no such file; give a text file with one URL a line") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--urls {shown(str(path))}: cannot read it ({exc}); give a UTF-8 text file, "
                         "one URL a line") from None
    urls = [canonical(line.strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    if not urls:
        raise InputError(f"--urls {shown(str(path))} lists no URL; give one URL a line")
    return list(dict.fromkeys(urls))  # each once, in order


def fetch_pages(urls: list[str], settings: Settings) -> tuple[list[Page], list[FileIssue]]:
    """The pages fetched, and one issue (naming the URL and why) per URL that was not."""
    pages: list[Page] = []
    failed: list[FileIssue] = []
    for url in urls:
        try:
            pages.append(fetch(url, settings))
        except FetchError as exc:
            failed.append(FileIssue(url, str(exc), IssueKind.ERROR))
        except Exception as exc:  # one odd URL never stops the others
            failed.append(FileIssue(url, f"unexpected {type(exc).__name__}: {exc}", IssueKind.ERROR))
    if not pages:
        if len(urls) == 1:
            raise NothingToIngestError(f"{shown(urls[0])}: {failed[0].reason}; the store is unchanged", None)
        raise NothingToIngestError(f"none of the {plural(len(urls), 'URL')} could be fetched; the store is unchanged",
                                   IngestReport(issues=failed, source=plural(len(urls), "URL")))
    return pages, failed


def target(page: Page, location: Location) -> str:
    """The store's name for the snapshot `page` is saved as."""
    return location.name_of(snapshot_path(location.dir.resolve(), page.url, page.suffix))


def sync_page(write: Write, page: Page, settings: Settings, embedder: Embedder, location: Location,
              progress: Progress) -> IngestReport:
    """Save `page` and sync its snapshot (the caller holds the lock). A page saved before under
    another name (its content type changed from HTML to plain text) leaves the store first."""
    name = target(page, location)
    before = write.state.named_by_url(page.url)
    if before and before != name:
        remove(write, before)
    path = save(page, location.dir.resolve())
    try:
        found = find(path, settings, location)
    except NothingToIngestError as exc:  # e.g. extensions set without .html
        return IngestReport(issues=[FileIssue(page.url, str(exc), IssueKind.SKIPPED)], source=name)
    report = sync(write, replace(found, kind="url", url=page.url), settings, embedder, progress)
    report.source = page.url  # what the user asked for; `kit files` shows the snapshot beside it
    return report


def combined(reports: list[IngestReport], failed: list[FileIssue], urls: int) -> IngestReport:
    """One report for a run over several URLs: counts summed, every issue kept, failures first."""
    if len(reports) == 1 and urls == 1:
        return reports[0]
    out = IngestReport(source=plural(urls, "URL"), issues=list(failed))
    for r in reports:
        out.files += r.files
        out.chunks += r.chunks
        out.added += r.added
        out.embedded += r.embedded
        out.unchanged_files += r.unchanged_files
        out.removed += r.removed
        out.seconds += r.seconds
        out.issues += r.issues
    return out


def ingest_pages(upkeep: Upkeep, urls: list[str], bar: Progress, wait: float) -> IngestReport:
    """Fetch each page and sync its snapshot as a source, one write per page (an interrupted one
    is completed by its name alone); the report holds every page's counts and every failure."""
    pages, failed = fetch_pages(urls, upkeep.settings)
    reports: list[IngestReport] = []
    notes: list[str] = []
    try:
        for page in pages:
            with upkeep.writing("ingest", target(page, upkeep.location), wait) as (write, more):
                reports.append(sync_page(write, page, upkeep.settings, upkeep.embedder(), upkeep.location, bar))
            notes += more
    except BaseException:
        bar.finish("")  # close the bar cleanly (a notebook widget too) and re-raise
        raise
    report = combined(reports, failed, len(urls))
    report.issues[:0] = [FileIssue("(store)", note, IssueKind.NOTE) for note in notes]
    return report
