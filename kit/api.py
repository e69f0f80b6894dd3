"""The public entry point: a `Kit` opened on a store, with ingest and search.

Everything a notebook, script or the CLI does goes through here. Heavy parts (the embedding
model, the Chroma client) load on first use, so opening a kit is instant.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kit.answer import Answerer, Context, ExtractiveAnswerer, FallbackAnswerer, LLMAnswerer, SupportModel
from kit.citations import SourceReader
from kit.config import RESULT_SETTINGS, Settings
from kit.doctor import Checkup, check, move_aside, require_root, source_root
from kit.embeddings import Embedder, get_embedder
from kit.errors import EmptyStoreError, InputError
from kit.evaluate import QAReport, evaluate, load_qa
from kit.ingest import Progress, ingest
from kit.llm import ChatBackend, get_chat_backend
from kit.retrieval import Filter, Retriever
from kit.store import Store
from kit.summarize import extractive_summary, in_sections, llm_summary, sections_note, topic_found
from kit.support import Judge
from kit.topic_cache import TopicCache
from kit.topics import discover, named_topic
from kit.types import Answer, Citation, FileIssue, Hit, IngestReport, Mode, Provenance, Section, Topic, TopicSummary


class Kit:
    """A corpus store plus the models that read and search it."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        if settings is None:
            settings = Settings.load(**overrides)
        elif overrides:
            settings = Settings.load(environ={}, **{**settings.model_dump(), **overrides})
        self.settings = settings
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
            self._store = Store(self.settings, self.embedder.name, self.embedder.dim)
        return self._store

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.store, self.embedder, self.settings)
        return self._retriever

    def ingest(self, folder: str | Path = "seeds", progress: bool | Progress = False,
               wait: float = 0.0, rebuild: bool = False) -> IngestReport:
        """Index the text files under `folder`; unchanged files cost nothing.

        `rebuild` drops the store first, e.g. to change embedder or chunk settings.
        """
        callback = _tqdm_progress() if progress is True else (progress or None)
        notes = self._recover_if_interrupted()
        try:
            report = ingest(Path(folder), self.settings, self.store, self.embedder, callback, wait, rebuild)
            report.issues[:0] = [FileIssue("(store)", note) for note in notes]
            return report
        finally:
            if progress is True and callback is not None:
                callback(-1, 0, "")

    def search(self, query: str, k: int | None = None, files: list[str] | None = None,
               sections: list[Section] | None = None) -> list[Hit]:
        """The k best chunks for `query`, optionally only from some files or sections."""
        flt = Filter(tuple(files) if files else None, tuple(sections) if sections else None)
        return self.retriever.search(query, k, flt)

    def ask(self, question: str, k: int | None = None, files: list[str] | None = None,
            sections: list[Section] | None = None) -> Answer:
        """A cited answer to `question`, or an honest "not in the documents"."""
        if not question.strip():
            raise InputError("the question is empty; ask something, e.g. kit ask \"Who fired the missiles?\"")
        answerer = self.answerer  # built first: a missing API key fails before any retrieval
        return self._answer(question, self.search(question, k=k, files=files, sections=sections), answerer)

    def _answer(self, question: str, hits: list[Hit], answerer: Answerer | None = None) -> Answer:
        answer = (answerer or self.answerer).answer(question, hits, self.context())
        answer.show_unsupported = self.settings.show_unsupported
        answer.provenance = self.provenance(answer.citations)
        return answer

    @property
    def answerer(self) -> Answerer:
        """The answerer named by settings.llm, with the extractive fallback when asked for."""
        extractive = ExtractiveAnswerer(self.embedder, SupportModel.load(threshold=self.settings.abstain_threshold))
        if self.chat is None:
            return extractive
        llm = LLMAnswerer(self.chat)
        return FallbackAnswerer(llm, extractive) if self.settings.llm_fallback else llm

    def context(self) -> Context:
        """What answers and summaries are checked against: the files as they are now, a support
        judge, and word weights from the store's keyword index."""
        index = self.retriever.keyword_index()
        judge = Judge.from_counts(self.embedder, index.df, len(index.chunks))
        return Context(self.sources(), judge, judge.idf)

    def provenance(self, citations: list[Citation]) -> Provenance:
        """What an answer or report was made from: sources, cited files' hashes, version, settings, date."""
        from kit import __version__

        root = self.store.source_root()
        settings = {k: v for k, v in self.settings.public_dump().items() if k in RESULT_SETTINGS}
        files = {c.path: c.doc_sha256 for c in citations}
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        return Provenance((str(root),) if root else (), dict(sorted(files.items())), __version__, settings, created)

    def evaluate(self, qa_file: str | Path, k: int | None = None, limit: int | None = None) -> QAReport:
        """Score retrieval, answers, citations and abstention on a QA JSONL file."""
        items = load_qa(Path(qa_file))[:limit]
        answerer = self.answerer
        return evaluate(items, lambda q: self.search(q, k=k), lambda q, hits: self._answer(q, hits, answerer))

    @property
    def chat(self) -> ChatBackend | None:
        """The chat backend named by settings.llm (None for the offline extractive mode)."""
        if self._chat is None and self.settings.llm != "extractive":
            self._chat = get_chat_backend(self.settings)
        return self._chat

    @chat.setter
    def chat(self, backend: ChatBackend | None) -> None:
        self._chat = backend

    def sources(self) -> SourceReader:
        """Reads the ingested files to check citations against them."""
        return SourceReader(self.store.source_root(), self.settings.fallback_encoding)

    def topics(self, names: list[str] | None = None, k: int | None = None, passages: int = 12) -> list[Topic]:
        """Topics of the corpus: clustered (`k` fixed or chosen), or the ones `names` give; either way
        from the sections `settings.summary_sections` names (the article text by default)."""
        sections = list(self.settings.summary_sections)
        if names:
            search = lambda name, n: self.search(name, k=n, sections=sections)  # noqa: E731
            return [named_topic(name, search, passages, i) for i, name in enumerate(names, 1)]
        chunks, vectors = self.store.all_vectors()
        if not chunks:
            raise EmptyStoreError("the store is empty: run `kit ingest FOLDER` first")
        keep = [i for i, c in enumerate(chunks) if c.section in sections]
        return discover([chunks[i] for i in keep], vectors[keep], k, self.chat, self.embedder, self.topic_cache(k))

    def topic_cache(self, k: int | None = None) -> TopicCache:
        """The last run's topics and summaries, kept in the store folder; `k` and the settings
        that shape topics are part of its key, so another choice clusters afresh."""
        s = self.settings
        key = json.dumps([self.embedder.name, s.chunk_size, s.chunk_overlap, list(s.summary_sections), k,
                          self.chat.name if self.chat else None])
        return TopicCache(Path(s.store_dir), key)

    def summarize(self, topics: list[Topic] | list[str] | None = None, max_sentences: int = 6,
                  max_words: int | None = None) -> list[TopicSummary]:
        """A cited summary per topic (auto topics by default; strings name topics). A named topic
        that no passage is about gets "not in the documents" instead of an off-topic summary."""
        named = bool(topics) and all(isinstance(t, str) for t in topics or [])
        if not topics:
            chosen = self.topics()
        elif named:
            chosen = self.topics(names=[str(t) for t in topics or []])
        else:
            chosen = [t for t in topics if isinstance(t, Topic)]
        ctx = self.context()
        cache = self.topic_cache()
        out = [self._summary(t, ctx, named, max_sentences, max_words, cache) for t in chosen]
        for s in out:
            s.show_unsupported = self.settings.show_unsupported
        return out

    def _summary(self, topic: Topic, ctx: Context, named: bool, max_sentences: int,
                 max_words: int | None, cache: TopicCache) -> TopicSummary:
        mode, backend = (Mode.LLM, self.chat.name) if self.chat is not None else (Mode.EXTRACTIVE, "extractive")
        topic = in_sections(topic, self.settings.summary_sections)
        if named and not topic_found(topic.title, topic.chunks, ctx.idf):
            return TopicSummary(topic, [], mode, backend, found=False,
                                notes=[f"no ingested passage is about \"{topic.title}\""])
        if self.chat is None:
            return self._extractive(topic, ctx, max_sentences, max_words, cache)
        summary = llm_summary(topic, self.chat, self.embedder, ctx.evidence)
        summary.notes += sections_note(topic)
        return summary

    def _extractive(self, topic: Topic, ctx: Context, max_sentences: int, max_words: int | None,
                    cache: TopicCache) -> TopicSummary:
        """The extractive summary, reused from the last run when the topic's chunks are the same."""
        params = f"{max_sentences}:{max_words}"
        kept = cache.summary(topic, params, ctx.evidence.reader)
        if kept is not None:
            return kept
        summary = extractive_summary(topic, self.embedder, ctx.evidence, max_sentences, max_words)
        summary.notes += sections_note(topic)
        cache.remember(topic, params, summary)
        return summary

    def _recover_if_interrupted(self) -> list[str]:
        """After a crash mid-write, check the store in a child process before writing again;
        a damaged local store is moved aside (kept) and this ingest rebuilds it."""
        store_dir = Path(self.settings.store_dir)
        marker = store_dir / "write.running"
        if self.settings.store_mode != "local" or not marker.exists() or _writer_alive(store_dir):
            return []
        result = check(self.settings, self.embedder.name, self.embedder.dim)
        if result.ok or all("interrupted update" in p for p in result.problems):
            return ["the previous ingest was interrupted; the store checked out and this run completes it"]
        moved = move_aside(store_dir)
        self._store = self._retriever = None
        return [f"the previous ingest was interrupted and left the store damaged ({'; '.join(result.problems)}); "
                f"moved it to {moved} and rebuilt"]

    def doctor(self, repair: bool = False) -> Checkup:
        """Check the store from a child process; with `repair`, rebuild it from its source folder."""
        store_dir = Path(self.settings.store_dir)
        result = check(self.settings, self.embedder.name, self.embedder.dim)
        if result.ok or not repair:
            return result
        # A local store's source folder is read from its state file, without opening the
        # possibly damaged index in this process.
        local = self.settings.store_mode == "local"
        root = require_root(source_root(store_dir) if local else self.store.source_root(), store_dir)
        data_only = all("interrupted update" in p for p in result.problems)
        if not data_only and local and store_dir.exists():
            result.actions.append(f"moved the damaged store to {move_aside(store_dir)}")
        self._store = self._retriever = None
        report = self.ingest(root, rebuild=not data_only and not local)
        result.actions.append(f"re-ingested {root}: {report.chunks} chunks, {report.embedded} embedded")
        after = check(self.settings, self.embedder.name, self.embedder.dim)
        after.actions = result.actions
        after.problems = [f"fixed: {p}" for p in result.problems] + after.problems
        return after

    def as_langchain_retriever(self, k: int = 5) -> Any:
        """This kit's search as a LangChain `BaseRetriever` (hits become LangChain Documents)."""
        from kit.integrations import KitLangChainRetriever

        return KitLangChainRetriever(kit=self, k=k)


def _writer_alive(store_dir: Path) -> bool:
    """Whether another process holds the store's write lock right now."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(store_dir / "write.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


def _tqdm_progress() -> Progress:
    from tqdm.auto import tqdm

    bar: Any = None

    def update(done: int, total: int, name: str) -> None:
        nonlocal bar
        if done < 0:
            if bar is not None:
                bar.close()
            return
        if bar is None:
            bar = tqdm(total=total, unit="file", desc="ingest", leave=False)
        bar.set_postfix_str(name[-40:], refresh=False)
        bar.update(1)

    return update
