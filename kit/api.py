"""The public entry point: a `Kit` opened on a store, with ingest, search and the store's upkeep.

Everything a notebook, script or the CLI does goes through here. Heavy parts (the embedding
model, the Chroma client) load on first use, and read commands check that a store is there
before either: with none, they say where they looked and what to run. Every write (ingest, rm,
repair) holds the store's write lock from start to end, and first completes a write that was
interrupted, under that same lock.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.config import RESULT_SETTINGS, Settings
from kit.embeddings import Embedder, get_embedder, identity
from kit.errors import (
    EmptyStoreError,
    InputError,
    MissingExtraError,
)
from kit.location import Location, locate
from kit.progress import Bar, Progress, Silent
from kit.results import Answer, CheckResult, Summaries, Topic, Topics, TopicSummary
from kit.store.built import as_built
from kit.store.collection import Filter
from kit.store.listing import Listing, list_files, match_files
from kit.store.retrieval import Retriever
from kit.store.store import Store
from kit.store.writer import Write
from kit.types import Citation, FileIssue, Hit, IngestReport, IssueKind, Mode, Provenance, Section

if TYPE_CHECKING:  # imported where used: a cold `kit search` needs none of them (about 0.5 s of imports)
    from kit.answer.answerers import Answerer
    from kit.corpus.sources import SourceReader
    from kit.evaluate import QAReport
    from kit.grounding.claims import Evidence
    from kit.ingest.doctor import Checkup
    from kit.ingest.repair import Upkeep
    from kit.llm.base import ChatBackend
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
        embedded, files gone from it removed; other sources are left alone. A folder with no file
        kit can read raises `NothingToIngestError` and changes nothing. `rebuild` builds the whole
        store again (e.g. for another embedder or chunk size)."""
        from kit.ingest.sync import find, sync

        found = find(Path(folder), self.settings, self.location)
        bar: Progress = Bar() if progress is True else (progress or Silent())
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

    def remove(self, path: str | Path, wait: float = 0.0) -> Removal:
        """Remove a file or folder (and its source record, for a whole source) from the store; not from disk."""
        from kit.store.remove import remove

        self.store.require()
        name = self.location.name_of(Path(os.path.realpath(path)))
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
        """The k best chunks for `query`, optionally only from some files (each a stored path, a file
        name or a glob; see `_stored_names`) or sections."""
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
            sections: list[Section] | None = None) -> Answer:
        """A cited answer to `question`, or an honest "not in the documents"."""
        if not question.strip():
            raise InputError("the question is empty; ask something, e.g. kit ask \"Who fired the missiles?\"")
        self.store.require()  # no store: say so before any model is loaded
        files = self._stored_names(files) if files else None  # and a file it does not hold
        answerer = self.answerer  # then the answerer: a missing API key fails before any retrieval
        return self._answer(question, self._search(question, k, files, sections), answerer)

    def _answer(self, question: str, hits: list[Hit], answerer: Answerer | None = None) -> Answer:
        from kit.answer.answerers import stale_notes

        ctx = self.context()
        answer = (answerer or self.answerer).answer(question, hits, ctx)
        if answer.abstained and not answer.failed:  # failed citations already say why (source_notes)
            answer.notes += stale_notes(hits, ctx.reader)
        answer.show_unsupported = self.settings.show_unsupported
        answer.provenance = self.provenance(answer.citations)
        return answer

    def check(self, text: str, files: list[str] | None = None, k: int | None = None) -> CheckResult:
        """Check each sentence of `text` against the store: its best passage sentence (or pair),
        from `k` passages retrieved for it (only from `files` when given), the quote verified at
        its span in the file, a verdict and a score; "not in the documents" when nothing bears on
        it. Reads the store, never writes or creates one."""
        from kit.grounding.check import check_claims, claim_sentences
        from kit.grounding.claims import source_notes

        found = claim_sentences(text)  # a text it cannot check fails before the store is opened
        self.store.require()
        paths = self._stored_names(files) if files else None
        claims, failed = check_claims(found, lambda s: self._search(s, k, paths), self.context())
        result = CheckResult(text, claims, paths or [], failed, source_notes(failed))
        result.provenance = self.provenance(result.citations)
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
        if self.chat is None:
            return extractive
        llm = LLMAnswerer(self.chat, self._model_check())
        return FallbackAnswerer(llm, extractive) if self.settings.llm_fallback else llm

    def _model_check(self) -> float | None:
        """The deadline of the chat model's check of claims (the `judge` setting), or None for none."""
        wanted = self.settings.judge == "llm" or (self.settings.judge == "auto" and self.chat is not None)
        return self.settings.judge_timeout if wanted and self.chat is not None else None

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
        from kit.corpus.readers import extractor
        from kit.version import __version__

        sources = tuple(s.name for s in self.store.sources())
        settings = {k: v for k, v in self.settings.public_dump().items() if k in RESULT_SETTINGS}
        files = {c.path: c.doc_sha256 for c in citations}
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        readers = {path: name for path in sorted(files) if (name := extractor(path))}
        return Provenance(sources, dict(sorted(files.items())), __version__, settings, created,
                          str(self.location.base), readers)

    def file_links(self, out: Path | None = None) -> Callable[[str], str | None]:
        """Links from a report written to `out` (None: into the current folder) to its source
        files, relative to the report (`report_html`, `check_page`); none when the files' folder is unknown."""
        root = self.sources().root
        if root is None:
            return lambda _path: None
        base = (out.parent if out else Path.cwd()).resolve()
        # Percent-encoded, so a file named "javascript:..." is a relative path, never a URL scheme.
        return lambda path: urllib.parse.quote(Path(os.path.relpath((root / path).resolve(), base)).as_posix(),
                                               safe="/")

    def evaluate(self, qa_file: str | Path, k: int | None = None, limit: int | None = None) -> QAReport:
        """Score retrieval, answers, citations and abstention on a QA JSONL file."""
        from kit.evaluate import evaluate, load_qa

        items = load_qa(Path(qa_file))[:limit]
        self.store.require()
        answerer = self.answerer
        return evaluate(items, lambda q: self._search(q, k), lambda q, hits: self._answer(q, hits, answerer))

    @property
    def chat(self) -> ChatBackend | None:
        """The chat backend named by settings.llm (None for the offline extractive mode)."""
        from kit.llm.backends import get_chat_backend

        if self._chat is None and self.settings.llm != "extractive":
            self._chat = get_chat_backend(self.settings)
        return self._chat

    @chat.setter
    def chat(self, backend: ChatBackend | None) -> None:
        self._chat = backend

    def sources(self) -> SourceReader:
        """A `SourceReader` over the stored files: reads them to check citations, and tells per file
        whether it changed, went missing or now leads outside its folder (`status`)."""
        from kit.corpus.sources import SourceReader

        return SourceReader(self.location.base, self.settings.fallback_encoding, self.settings.max_bytes)

    def topics(self, names: list[str] | None = None, k: int | None = None, passages: int = 12,
               changes_for: str = "topics") -> Topics:
        """Topics of the corpus: clustered (`k` fixed or chosen), or the ones `names` give; either way
        from the sections `settings.summary_sections` names (the article text by default). Each
        clustered topic's change is against the last run of `changes_for` ("topics", "summarize")."""
        from kit.topics.cluster import discover, named_topic

        sections = list(self.settings.summary_sections)
        self.store.require()
        if names:
            search = lambda name, n: self._search(name, k=n, sections=sections)  # noqa: E731
            return Topics(named_topic(name, search, passages, i) for i, name in enumerate(names, 1))
        chunks, vectors = self.store.all_vectors()
        if not chunks:
            raise EmptyStoreError("the store is empty: run `kit ingest FOLDER` first")
        keep = [i for i, c in enumerate(chunks) if c.section in sections]
        return Topics(discover([chunks[i] for i in keep], vectors[keep], k, self.chat, self.embedder,
                               self.topic_cache(k, changes_for)))

    def topic_cache(self, k: int | None = None, command: str = "topics") -> TopicCache:
        """The last run's topics and summaries, kept in the store folder; `k` and the settings
        that shape topics are part of its key, so another choice clusters afresh."""
        s = self.settings
        key = json.dumps([self.embedder.name, s.chunk_size, s.chunk_overlap, list(s.summary_sections), k,
                          self.chat.name if self.chat else None])
        from kit.topics.cache import TopicCache

        return TopicCache(self.store.dir, key, command)

    def summarize(self, topics: list[Topic] | list[str] | None = None, max_sentences: int = 6,
                  max_words: int | None = None) -> Summaries:
        """A cited summary per topic (auto topics by default; strings name topics). A named topic
        that no passage is about gets "not in the documents" instead of an off-topic summary.
        The list renders as the topic report, with what it was made from (`Summaries.save`)."""
        named = bool(topics) and all(isinstance(t, str) for t in topics or [])
        if not topics:
            chosen: list[Topic] = self.topics(changes_for="summarize")
        elif named:
            chosen = self.topics(names=[str(t) for t in topics or []])
        else:
            chosen = [t for t in topics if isinstance(t, Topic)]
        ctx = self.context()
        cache = self.topic_cache()
        out = [self._summary(t, ctx, named, max_sentences, max_words, cache) for t in chosen]
        for s in out:
            s.show_unsupported = self.settings.show_unsupported
        return Summaries(out, self.provenance([c for s in out for c in s.citations]), self.file_links)

    def report(self, path: str | Path, topics: list[str] | None = None, max_sentences: int = 6,
               format: str | None = None) -> Path:  # `format`: named as `kit summarize --format`
        """Write the topic report `kit summarize --out path` writes: a cited summary per topic (auto
        topics, or the ones `topics` names), headed by what it was made from, as .html (linked to the
        source files), .md or .json by the suffix of `path`. A suffix kit does not write fails first."""
        from kit.report.common import format_from

        fmt = format or format_from(path)  # before any work
        return self.summarize(topics or None, max_sentences=max_sentences).save(path, fmt)

    def _summary(self, topic: Topic, ctx: Evidence, named: bool, max_sentences: int,
                 max_words: int | None, cache: TopicCache) -> TopicSummary:
        from kit.topics.summarize import about, in_sections, llm_summary, sections_note

        mode, backend = (Mode.LLM, self.chat.name) if self.chat is not None else (Mode.EXTRACTIVE, "extractive")
        topic = in_sections(topic, self.settings.summary_sections)
        topic = about(topic, ctx.idf) if named else topic
        if named and not topic.chunks:
            return TopicSummary(topic, [], mode, backend, found=False,
                                notes=[f"no ingested passage is about \"{topic.title}\""])
        if self.chat is None:
            return self._extractive(topic, ctx, max_sentences, max_words, cache)
        summary = llm_summary(topic, self.chat, self.embedder, ctx, self._model_check())
        summary.notes += sections_note(topic)
        return summary

    def _extractive(self, topic: Topic, ctx: Evidence, max_sentences: int, max_words: int | None,
                    cache: TopicCache) -> TopicSummary:
        """The extractive summary, reused from the last run when the topic's chunks are the same."""
        params = f"{max_sentences}:{max_words}"
        kept = cache.summary(topic, params, ctx.reader)
        if kept is not None:
            return kept
        from kit.topics.summarize import extractive_summary, sections_note

        summary = extractive_summary(topic, self.embedder, ctx, max_sentences, max_words)
        summary.notes += sections_note(topic)
        cache.remember(topic, params, summary)
        return summary

    def as_langchain_retriever(self, k: int = 5) -> Any:
        """This kit's search as a LangChain `BaseRetriever` (hits become LangChain Documents)."""
        try:
            from kit.integrations.langchain import KitLangChainRetriever
        except ImportError:
            raise MissingExtraError.needs("the LangChain retriever", "langchain") from None

        return KitLangChainRetriever(kit=self, k=k)
