"""The public entry point: a `Kit` opened on a store, with ingest, search and the store's upkeep.

Everything a notebook, script or the CLI does goes through here. Heavy parts (the embedding
model, the Chroma client) load on first use, and read commands check that a store is there
before either: with none, they say where they looked and what to run. Every write (ingest, rm,
repair) holds the store's write lock from start to end, and first completes a write that was
interrupted, under that same lock. Every ask, check and summarize is recorded in the store's history.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.config import Settings
from kit.embeddings import Embedder, get_embedder, identity
from kit.errors import EmptyStoreError, InputError, NotStoredError
from kit.location import Location, is_url, locate, shown
from kit.progress import Progress, Silent, Stage, progress_for
from kit.results import Answer, CheckResult, ClaimsResult, Summaries, Topic, Topics, TopicSummary
from kit.run_facts import run_facts
from kit.store.built import as_built
from kit.store.collection import Filter
from kit.store.listing import Listing, list_files, match_files
from kit.store.retrieval import Retriever
from kit.store.store import Store
from kit.store.writer import Write
from kit.text import plural
from kit.types import Citation, FileIssue, Hit, IngestReport, IssueKind, Provenance, Section

if TYPE_CHECKING:  # imported where used: a cold `kit search` needs none of them (about 0.5 s of imports)
    from kit.answer.answerers import Answerer
    from kit.answer.followup import Chat, Turn
    from kit.corpus.sources import SourceReader
    from kit.evaluate import QAReport
    from kit.grounding.claims import Evidence
    from kit.ingest.doctor import Checkup
    from kit.ingest.repair import Upkeep
    from kit.llm.base import ChatBackend
    from kit.store.history import History, RunKind
    from kit.store.remove import Removal
    from kit.topics.cache import TopicCache


class Kit:
    """A corpus store plus the models that read and search it."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        if settings is None:
            settings = Settings.load(**overrides)
            given = set(settings.model_fields_set)  # what an option, a KIT_* variable or a keyword set
        else:
            given = settings.model_fields_set | {k for k, v in overrides.items() if v is not None}
            if overrides:
                settings = Settings.load(environ={}, **{**settings.model_dump(), **overrides})
        self.location: Location = locate(settings.store_dir)  # found once, from the folder the kit opens in
        # What the store was built with (embedder, chunking), for each of them not given here.
        self.settings = as_built(settings, self.location, given)
        self._embedder: Embedder | None = None
        self._store: Store | None = None
        self._retriever: Retriever | None = None
        self._chat: ChatBackend | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
        return self._embedder

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings, *self._identity(), self.location)
        return self._store

    def _identity(self) -> tuple[str, int]:
        if self._embedder is not None:
            return self._embedder.name, self._embedder.dim
        return identity(self.settings)

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.store, self.embedder, self.settings)
        return self._retriever

    # -- writing -----------------------------------------------------------------------------------
    def ingest(self, folder: str | Path = "seeds", progress: bool | Progress = False,
               wait: float = 0.0, rebuild: bool = False) -> IngestReport:
        """Sync the text files of `folder` (or one file) into the store: new and changed files are
        embedded, files gone from it removed; other sources are left alone. An http(s) URL is
        fetched as a web page (`ingest_urls`). A folder with no file
        kit can read raises `NothingToIngestError` and changes nothing. `rebuild` builds the whole
        store again (e.g. for another embedder or chunk size)."""
        from kit.ingest.sync import find, sync

        if isinstance(folder, str) and folder[:6].lower().startswith(("http:", "https:")) and not is_url(folder):
            raise InputError(f"{shown(folder)} is not a URL kit can fetch; give it as https://host/path")
        if isinstance(folder, str) and is_url(folder):
            if rebuild:
                raise InputError("--rebuild drops the whole store; run it with a folder, then ingest the URL")
            return self.ingest_urls([folder], progress, wait)
        found = find(Path(folder), self.settings, self.location)
        bar = progress_for(progress, "ingest")
        try:
            with self._writing("ingest", found.name, wait, rebuild=rebuild) as (write, notes):
                if rebuild:
                    for source in write.state.sources:
                        if source.name != found.name:
                            notes += self.upkeep.sync_source(write, source.name, Silent())
                report = sync(write, found, self.settings, self.embedder, bar)
        except BaseException:
            bar.finish("")  # close the bar cleanly (a notebook widget too) and re-raise
            raise
        report.issues[:0] = [FileIssue("(store)", note, IssueKind.NOTE) for note in notes]
        return report

    def ingest_urls(self, urls: list[str], progress: bool | Progress = False, wait: float = 0.0) -> IngestReport:
        """Fetch each web page (http or https) and sync its snapshot, saved in the store folder, as
        a source: a page fetched again embeds only what changed. A URL that cannot be fetched is an
        issue in the report and keeps what the store had for it; when none can,
        `NothingToIngestError`, and the store is unchanged."""
        from kit.ingest.web import ingest_pages

        try:
            return ingest_pages(self.upkeep, urls, progress_for(progress, "ingest"), wait)
        finally:
            self._retriever = None  # the next search reopens the store it changed

    def remove(self, path: str | Path, wait: float = 0.0) -> Removal:
        """Remove a file or folder (and its source record, for a whole source) from the store; not from disk."""
        from kit.store.remove import remove

        self.store.require()
        web = isinstance(path, str) and is_url(path)
        page = self.store.state().named_by_url(urllib.parse.urldefrag(str(path)).url) if web else ""
        if web and not page:
            raise NotStoredError(f"the store holds no page fetched from {shown(str(path))}; `kit files` lists the "
                                 "URLs it holds")
        name = page or self.location.name_of(Path(os.path.realpath(path)))
        with self._writing("rm", name, wait) as (write, _notes):
            return remove(write, name)

    def files(self) -> Listing:
        """The store's sources and files (from the last commit's file list; no model, no Chroma)."""
        return list_files(self.settings, self.location)

    @property
    def upkeep(self) -> Upkeep:
        """Writes, checks and repairs of this kit's store (see `kit.ingest.repair`)."""
        from kit.ingest.repair import Upkeep

        return Upkeep(self.settings, self.location, self.store, lambda: self.embedder, self._identity())

    @contextmanager
    def _writing(self, op: str, target: str, wait: float, rebuild: bool = False) -> Iterator[tuple[Write, list[str]]]:
        with self.upkeep.writing(op, target, wait, rebuild) as (write, notes):
            yield write, notes
        self._retriever = None  # the next search reopens the store it changed

    def doctor(self, repair: bool = False, wait: float = 0.0) -> Checkup:
        """Check the store against its sources (Chroma read in a child process); with `repair`,
        rebuild a damaged store aside, or complete and sync an incomplete or stale one."""
        return self.upkeep.doctor(repair, wait)

    # -- reading -----------------------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, files: list[str] | None = None,
               sections: list[Section] | None = None) -> list[Hit]:
        """The k best chunks for `query`, optionally only from some files (`_stored_names`) or sections."""
        if not query.strip():
            raise InputError('the search query is empty; say what to look for, e.g. kit search "cruise missiles"')
        self.store.require()  # before any model is loaded
        hits = self._search(query, k, self._stored_names(files) if files else None, sections)
        reader = self.sources()
        return [reader.placed(h) for h in hits]

    def _search(self, query: str, k: int | None = None, files: list[str] | None = None,
                sections: list[Section] | None = None) -> list[Hit]:
        """`search` on a store already known to be there (one check per command, not per query)."""
        flt = Filter(tuple(files) if files else None, tuple(sections) if sections else None)
        return self.retriever.search(query, k, flt)

    def ask(self, question: str, k: int | None = None, files: list[str] | None = None,
            sections: list[Section] | None = None, progress: bool | Progress = False) -> Answer:
        """A cited answer to `question`, or an honest "not in the documents"; recorded in the history.
        `progress`: True shows a local model's prompt and reply tokens as it works (a bar on stderr)."""
        from kit.answer.followup import Turn
        from kit.llm.listen import watching

        with watching(progress_for(progress, "ask")):  # the bar (a notebook widget too) closes at the end
            return self._ask(Turn(question), k, files, sections)

    def _ask(self, turn: Turn, k: int | None, files: list[str] | None, sections: list[Section] | None,
             session: str | None = None) -> Answer:
        """`ask` for one turn: retrieval reads `turn.query`; the answer and its checks, `turn.question`."""
        from kit.store.history import RunKind

        if not turn.question.strip():
            raise InputError("the question is empty; ask something, e.g. kit ask \"Who fired the missiles?\"")
        self.store.require()  # no store: say so before any model is loaded
        files = self._stored_names(files) if files else None  # and a file it does not hold
        answerer = self.answerer  # then the answerer: a missing API key fails before any retrieval
        answer = turn.shown(self._answer(turn.question, self._search(turn.query, k, files, sections), answerer))
        self._record(RunKind.ASK, turn.asked, [answer], answer.to_dict(), session)
        return answer

    def chat(self, k: int | None = None, files: list[str] | None = None,
             sections: list[Section] | None = None) -> Chat:
        """A conversation: each `.ask(question)` is answered like `ask`, a follow-up read in the light
        of the turns before it (see `kit.answer.followup`); `.turns` holds the answers so far."""
        from kit.answer.followup import Chat
        from kit.store.history import new_session

        return Chat(lambda turn, session: self._ask(turn, k, files, sections, session), self.chat_backend,
                    new_session())

    @property
    def history(self) -> History:
        """The runs recorded in this kit's store folder (`kit history`)."""
        from kit.store.history import History

        return History(self.location.dir)

    def _record(self, kind: RunKind, given: str, results: Sequence[ClaimsResult], data: dict[str, Any],
                session: str | None = None) -> None:
        """Add a run to the history (unless the `history` setting is off); never fails the run."""
        if self.settings.history:
            used, counts = run_facts(results, self.settings.llm, self.settings.embedder)
            self.history.record(kind, given, used, counts, data, session)

    def _answer(self, question: str, hits: list[Hit], answerer: Answerer | None = None) -> Answer:
        from kit.answer.answerers import stale_notes

        ctx = self.context()
        answer = (answerer or self.answerer).answer(question, hits, ctx)
        if answer.abstained and not answer.failed:  # failed citations already say why (source_notes)
            answer.notes += stale_notes(hits, ctx.reader)
        answer.show_unsupported = self.settings.show_unsupported
        answer.provenance = self.provenance(answer.citations)
        answer.file_links = self.file_links  # `answer.save("a.html")` links each source, a PDF at its page
        return answer

    def check(self, text: str, files: list[str] | None = None, k: int | None = None) -> CheckResult:
        """Check each sentence of `text` against the store: its best passage sentence (or pair),
        from `k` passages retrieved for it (only from `files` when given), the quote verified at
        its span in the file, a verdict and a score; "not in the documents" when nothing bears on
        it. With a chat backend and the `judge` setting, the model may withdraw a sentence's
        support. Reads the store, never writes or creates one (the run goes into its history)."""
        from kit.grounding.check import check_claims, claim_sentences
        from kit.grounding.claims import source_notes
        from kit.llm.judge import model_check
        from kit.store.history import RunKind

        found = claim_sentences(text)  # a text it cannot check fails before the store is opened
        self.store.require()
        paths = self._stored_names(files) if files else None
        claims, failed = check_claims(found, lambda s: self._search(s, k, paths), self.context())
        opinion = model_check(claims, self.settings, lambda: self.chat_backend)  # the `judge` setting
        result = CheckResult(text, opinion.claims, paths or [], failed, [*source_notes(failed), *opinion.notes],
                             traces=opinion.traces, judged_by=opinion.model)
        result.provenance = self.provenance(result.citations)
        self._record(RunKind.CHECK, text, [result], result.to_dict())
        return result

    def _stored_names(self, files: list[str]) -> list[str]:
        """The store's names of `files`, each given as a path on disk or as `match_files` takes it
        (stored path, file name, glob); `InputError` naming the closest for one that matches none."""
        stored = [f.path for f in self.files().files]
        on_disk = [self.location.name_of(Path(os.path.realpath(given))) for given in files]
        return match_files([d if d in stored else g for g, d in zip(files, on_disk, strict=True)], stored)

    @property
    def answerer(self) -> Answerer:
        """The answerer named by settings.llm, with the extractive fallback when asked for."""
        from kit.answer.answerers import ExtractiveAnswerer, FallbackAnswerer, LLMAnswerer, SupportModel

        extractive = ExtractiveAnswerer(self.embedder, SupportModel.load(threshold=self.settings.abstain_threshold))
        if self.chat_backend is None:
            return extractive
        from kit.llm.judge import check_deadline

        llm = LLMAnswerer(self.chat_backend, check_deadline(self.settings, self.chat_backend), self.settings.llm_trim)
        return FallbackAnswerer(llm, extractive) if self.settings.llm_fallback else llm

    def context(self) -> Evidence:
        """What answers and summaries are checked against: the files as they are now, a support
        judge, and word weights from the store's keyword index."""
        from kit.grounding.claims import Evidence
        from kit.grounding.support import Judge

        index = self.retriever.keyword_index()
        judge = Judge.from_counts(self.embedder, index.df, index.size)
        return Evidence(self.sources(), judge)

    def provenance(self, citations: list[Citation]) -> Provenance:
        """What an answer or report was made from: sources, cited files' hashes, version, settings, date."""
        from kit.grounding.provenance import provenance

        return provenance(citations, [s.name for s in self.store.sources()], self.settings, self.location.base)

    def file_links(self, out: Path | None = None) -> Callable[[str], str | None]:
        """Links from a report written to `out` (None: the current folder) to its source files, relative
        or file:// URLs (setting `report_links`); none when the files' folder is unknown."""
        from kit.location import links_from

        return links_from(self.sources().root, out, absolute=self.settings.report_links == "absolute")

    def evaluate(self, qa_file: str | Path, k: int | None = None, limit: int | None = None) -> QAReport:
        """Score retrieval, answers, citations and abstention on a QA JSONL file."""
        from kit.evaluate import evaluate, load_qa

        items = load_qa(Path(qa_file))[:limit]
        self.store.require()
        answerer = self.answerer
        return evaluate(items, lambda q: self._search(q, k), lambda q, hits: self._answer(q, hits, answerer))

    @property
    def chat_backend(self) -> ChatBackend | None:
        """The chat backend named by settings.llm (None for the offline extractive mode)."""
        from kit.llm.backends import get_chat_backend

        if self._chat is None and self.settings.llm != "extractive":
            self._chat = get_chat_backend(self.settings)
        return self._chat

    @chat_backend.setter
    def chat_backend(self, backend: ChatBackend | None) -> None:
        self._chat = backend

    def sources(self) -> SourceReader:
        """A `SourceReader` over the stored files: reads them to check citations, and tells per file
        whether it changed, went missing or now leads outside its folder (`status`)."""
        from kit.corpus.sources import SourceReader

        return SourceReader(self.location.base, self.settings.fallback_encoding, self.settings.max_bytes,
                            urls=self.store.page_urls())

    def topics(self, names: list[str] | None = None, k: int | None = None, passages: int = 12,
               changes_for: str = "topics", progress: bool | Progress = False) -> Topics:
        """Topics of the corpus: clustered (`k` fixed or chosen), or the ones `names` give; either way
        from the sections `settings.summary_sections` names (the article text by default). Each
        clustered topic's change is against the last run of `changes_for` ("topics", "summarize").
        `progress`: True draws a bar on stderr, or pass your own `Progress` to hear each stage."""
        bar = progress_for(progress, "topics")
        started = time.perf_counter()
        try:
            found = self._topics(names, k, passages, changes_for, bar)
        except BaseException:
            bar.finish("")  # close the bar cleanly (a notebook widget too) and re-raise
            raise
        bar.finish(f"{plural(len(found), 'topic')} in {time.perf_counter() - started:.1f} s")
        return found

    def _topics(self, names: list[str] | None, k: int | None, passages: int, changes_for: str,
                bar: Progress) -> Topics:
        from kit.topics.cluster import discover, named_topic

        sections = list(self.settings.summary_sections)
        self.store.require()
        if names:
            search = lambda name, n: self._search(name, k=n, sections=sections)  # noqa: E731
            return Topics(named_topic(name, search, passages, i) for i, name in enumerate(names, 1))
        chunks, vectors = self.store.all_vectors(bar)
        if not chunks:
            raise EmptyStoreError("the store is empty: run `kit ingest FOLDER` first")
        keep = [i for i, c in enumerate(chunks) if c.section in sections]
        return Topics(discover([chunks[i] for i in keep], vectors[keep], k, self.chat_backend, self.embedder,
                               self.topic_cache(k, changes_for), bar))

    def topic_cache(self, k: int | None = None, command: str = "topics") -> TopicCache:
        """The last run's topics and summaries, kept in the store folder; `k` and the settings
        that shape topics are part of its key, so another choice clusters afresh."""
        s = self.settings
        key = json.dumps([self.embedder.name, s.chunk_size, s.chunk_overlap, list(s.summary_sections), k,
                          self.chat_backend.name if self.chat_backend else None])
        from kit.topics.cache import TopicCache

        return TopicCache(self.store.dir, key, command)

    def summarize(self, topics: list[Topic] | list[str] | None = None, max_sentences: int = 6,
                  max_words: int | None = None, progress: bool | Progress = False) -> Summaries:
        """A cited summary per topic (auto topics by default; strings name topics). A named topic
        that no passage is about gets "not in the documents" instead of an off-topic summary.
        The list renders as the topic report, with what it was made from (`Summaries.save`).
        `progress`: True draws a bar on stderr, or pass your own `Progress` to hear each stage."""
        bar = progress_for(progress, "summarize")
        started = time.perf_counter()
        try:
            out = self._summarize(topics, max_sentences, max_words, bar)
        except BaseException:
            bar.finish("")
            raise
        bar.finish(f"{plural(len(out), 'topic')} summarized in {time.perf_counter() - started:.1f} s")
        return out

    def _summarize(self, topics: list[Topic] | list[str] | None, max_sentences: int, max_words: int | None,
                   bar: Progress) -> Summaries:
        from kit.store.history import RunKind
        from kit.topics.named import topic_names

        named = bool(topics) and all(isinstance(t, str) for t in topics or [])
        if not topics:
            chosen: list[Topic] = self._topics(None, None, 12, "summarize", bar)
        elif named:
            chosen = self._topics(topic_names([str(t) for t in topics or []]), None, 12, "topics", bar)
        else:
            chosen = [t for t in topics if isinstance(t, Topic)]
        ctx = self.context()
        cache = self.topic_cache()
        bar.start(Stage.SUMMARIZE, len(chosen))
        out = []
        for t in chosen:
            out.append(self._summary(t, ctx, named, max_sentences, max_words, cache))
            bar.advance(1, t.title)
        for s in out:
            s.show_unsupported = self.settings.show_unsupported
        summaries = Summaries(out, self.provenance([c for s in out for c in s.citations]), self.file_links)
        self._record(RunKind.SUMMARIZE, "; ".join(t.title for t in chosen) if topics else "auto", out,
                     summaries.to_dict())
        return summaries

    def report(self, path: str | Path, topics: list[str] | None = None, max_sentences: int = 6,
               format: str | None = None) -> Path:  # `format`: named as `kit summarize --format`
        """Write the topic report `kit summarize --out path` writes (.html linked to the source files,
        .md or .json by the suffix of `path`; a suffix kit does not write fails before any work)."""
        from kit.report.common import format_from

        fmt = format or format_from(path)
        return self.summarize(topics or None, max_sentences=max_sentences).save(path, fmt)

    def _summary(self, topic: Topic, ctx: Evidence, named: bool, max_sentences: int,
                 max_words: int | None, cache: TopicCache) -> TopicSummary:
        from kit.llm.judge import check_deadline
        from kit.topics.summarize import Length, summary_for

        return summary_for(topic, ctx, named, self.settings.summary_sections, self.embedder, cache,
                           Length(max_sentences, max_words), self.chat_backend,
                           check_deadline(self.settings, self.chat_backend))

    def as_langchain_retriever(self, k: int = 5) -> Any:
        """This kit's search as a LangChain `BaseRetriever` (hits become LangChain Documents)."""
        from kit.integrations import langchain_retriever

        return langchain_retriever(self, k)
