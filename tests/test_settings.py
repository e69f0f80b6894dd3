"""Every setting does what its description says: each one has a test here (or named in EFFECTS
from another module) that would fail if kit ignored it. A setting added without one fails
`test_every_setting_has_an_effect_test`."""

from __future__ import annotations

import importlib
import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.config import Settings
from kit.embeddings import get_embedder
from kit.errors import KitError, NothingToIngestError
from tests.helpers import SEEDS, open_hash
from tests.llm_server import FakeOpenAI

QUESTION = "How many cruise missiles did Russia launch on Friday?"

# setting -> the test that fails if it is ignored ("module::function"; this module when no "::").
EFFECTS = {
    "store_dir": "test_store_dir_is_where_the_store_lives",
    "store_mode": "test_http_mode_talks_to_the_named_server",
    "chroma_host": "test_http_mode_talks_to_the_named_server",
    "chroma_port": "test_http_mode_talks_to_the_named_server",
    "chroma_timeout": "test_server_mode::test_a_port_that_accepts_and_never_answers_is_bounded_by_chroma_timeout",
    "lease_seconds": "test_server_mode::test_an_abandoned_lease_is_taken_over_only_after_it_expires",
    "collection_prefix": "test_collection_prefix_names_the_collection",
    "embedder": "test_embedder_and_its_options_are_the_ones_named",
    "openai_embedding_model": "test_embedder_and_its_options_are_the_ones_named",
    "embed_batch_size": "test_embedder_and_its_options_are_the_ones_named",
    "chunk_size": "test_chunk_size_and_overlap_shape_the_chunks",
    "chunk_overlap": "test_chunk_size_and_overlap_shape_the_chunks",
    "max_file_mb": "test_max_file_mb_skips_larger_files",
    "fallback_encoding": "test_fallback_encoding_decodes_what_utf8_cannot",
    "extensions": "test_extensions_choose_the_file_types",
    "top_k": "test_top_k_and_candidates_size_the_search",
    "candidates": "test_top_k_and_candidates_size_the_search",
    "rrf_k": "test_rrf_k_sets_the_fused_scores",
    "mmr_lambda": "test_mmr_lambda_and_dedup_threshold_shape_the_hits",
    "dedup_threshold": "test_mmr_lambda_and_dedup_threshold_shape_the_hits",
    "llm": "test_llm_model_url_and_key_reach_the_server",
    "llm_model": "test_llm_model_url_and_key_reach_the_server",
    "llm_base_url": "test_llm_model_url_and_key_reach_the_server",
    "api_key": "test_llm_model_url_and_key_reach_the_server",
    "llm_timeout": "test_llm::test_hung_server_times_out_within_the_configured_bound",
    "llm_max_retries": "test_llm::test_429_is_retried",
    "abstain_threshold": "test_answer::test_abstain_threshold_is_honoured",
    "summary_sections": "test_topics::test_summaries_leave_out_sidebars_and_comments_unless_the_setting_names_them",
    "show_unsupported": "test_answer::test_show_unsupported_puts_flagged_claims_in_the_answer",
    "judge": "test_llm_judge::test_judge_offline_makes_no_check_call",
    "judge_min_billion_parameters": "test_llm_judge::test_judge_auto_skips_a_small_local_model",
    "judge_timeout": "test_llm_judge::test_a_slow_check_is_bounded_by_judge_timeout_and_the_offline_verdicts_stand",
    "llm_fallback": "test_llm::test_server_faults_degrade_to_an_honest_extractive_answer_when_asked",
    "gguf_model": "test_gguf::test_bad_model_files_are_one_line_exit_1_and_leave_the_store_alone",
    "llm_threads": "test_gguf::test_context_threads_and_reply_settings_are_obeyed",
    "llm_context": "test_llm::test_context_setting_limits_the_passages_sent",
    "llm_max_tokens": "test_llm::test_reply_budget_setting_is_sent_as_max_tokens",
    "llm_trim": "test_llm::test_llm_trim_shows_the_sentences_near_the_question_and_notes_the_cut",
    "history": "test_history::test_history_setting_off_records_nothing",
    "web_timeout": "test_web_ingest::test_each_failure_is_one_line_naming_the_url_and_exit_1",
    "web_max_redirects": "test_web_ingest::test_web_max_redirects_bounds_the_hops_followed",
    "web_robots": "test_web_ingest::test_web_robots_off_fetches_a_disallowed_page_without_reading_robots_txt",
    "report_links": "test_report::test_report_links_relative_or_absolute_on_summarize_and_check",
}


def test_every_setting_has_an_effect_test() -> None:
    assert set(EFFECTS) == set(Settings.model_fields), "add the new setting and its effect test to EFFECTS"
    for name, target in EFFECTS.items():
        module, _, function = target.rpartition("::")
        found = importlib.import_module(f"tests.{module}" if module else __name__)
        assert callable(getattr(found, function, None)), f"{name}: no test {target}"


def test_store_dir_is_where_the_store_lives(tmp_path: Path) -> None:
    k = open_hash(tmp_path / "here")
    k.ingest(SEEDS)
    assert (tmp_path / "here").is_dir() and any((tmp_path / "here").iterdir())


def test_http_mode_talks_to_the_named_server(tmp_path: Path) -> None:
    k = kit.open(store_dir=tmp_path / "s", embedder="hash", store_mode="http", chroma_host="127.0.0.1",
                 chroma_port=9)  # nothing listens on port 9: the error must name the server it tried
    with pytest.raises(KitError, match=r"127\.0\.0\.1:9\b"):
        k.search("x")
    assert not (tmp_path / "s" / "chroma").exists()  # no local store was made instead


def test_collection_prefix_names_the_collection(tmp_path: Path) -> None:
    assert open_hash(tmp_path, collection_prefix="news").store.name.startswith("news-")
    assert open_hash(tmp_path).store.name.startswith("kit-")


def test_embedder_and_its_options_are_the_ones_named() -> None:
    assert get_embedder(Settings.load(environ={}, embedder="hash")).name == "hash-256"
    local = get_embedder(Settings.load(environ={}, embedder="minilm-int8", embed_batch_size=3))
    assert local.name == "all-MiniLM-L6-v2-int8" and local.batch_size == 3  # type: ignore[attr-defined]
    remote = get_embedder(Settings.load(environ={}, embedder="openai", openai_embedding_model="text-embedding-3-large",
                                        api_key="sk-x"))
    assert remote.name == "openai:text-embedding-3-large" and remote.dim == 3072


def test_chunk_size_and_overlap_shape_the_chunks(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "long.txt").write_text(" ".join(f"Sentence number {n} tells of the harbour storm." for n in
                                                         range(150)), encoding="utf-8")
    sizes = {}
    for size, overlap in ((400, 0), (1200, 200)):
        k = open_hash(tmp_path / f"s{size}", chunk_size=size, chunk_overlap=overlap)
        k.ingest(tmp_path / "docs")
        chunks = sorted(k.store.all_vectors()[0], key=lambda c: c.start)
        sizes[size] = max(len(c.text) for c in chunks)
        shared = [a.end - b.start for a, b in pairwise(chunks) if b.start < a.end]
        assert (shared == []) if overlap == 0 else (shared and max(shared) <= overlap), shared
    assert sizes[400] <= 400 < sizes[1200] <= 1200


def test_max_file_mb_skips_larger_files(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "big.txt").write_text("The harbour reopened on Monday after the storm. " * 3000)
    (tmp_path / "docs" / "small.txt").write_text("The ferry runs again from Tuesday.\n")
    report = open_hash(tmp_path / "s", max_file_mb=0.05).ingest(tmp_path / "docs")
    assert [i.path for i in report.issues] == ["docs/big.txt"] and report.files == 1
    report = open_hash(tmp_path / "t", max_file_mb=1).ingest(tmp_path / "docs")
    assert not report.issues and report.files == 2


def test_fallback_encoding_decodes_what_utf8_cannot(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_bytes("The fee rose to 20 \u20ac after the vote on Monday.".encode("cp1252"))
    texts = {}
    for enc in ("cp1252", "iso8859_15"):
        k = open_hash(tmp_path / enc, fallback_encoding=enc)
        k.ingest(tmp_path / "docs")
        texts[enc] = k.store.all_vectors()[0][0].text
    assert "20 \u20ac" in texts["cp1252"] and "20 \u20ac" not in texts["iso8859_15"]


def test_extensions_choose_the_file_types(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.rst").write_text("The harbour reopened on Monday after the storm damaged it.\n")
    with pytest.raises(NothingToIngestError):
        open_hash(tmp_path / "s").ingest(tmp_path / "docs")
    assert open_hash(tmp_path / "t", extensions=(".rst",)).ingest(tmp_path / "docs").chunks == 1


def test_top_k_and_candidates_size_the_search(hash_seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(open_hash(hash_seeds, top_k=2).search("cruise missiles")) == 2
    assert len(open_hash(hash_seeds, top_k=4).search("cruise missiles")) == 4
    k = open_hash(hash_seeds, candidates=7)
    asked: list[int] = []
    real = k.store.query

    def spy(vector: Any, n: int, *args: Any, **kwargs: Any) -> Any:
        asked.append(n)
        return real(vector, n, *args, **kwargs)

    monkeypatch.setattr(k.store, "query", spy)
    k.search("cruise missiles", k=2)
    assert asked == [7]


def test_rrf_k_sets_the_fused_scores(hash_seeds: Path) -> None:
    for rrf in (1, 60):
        top = open_hash(hash_seeds, rrf_k=rrf).search("Kalibr cruise missiles Caspian", k=1)[0]
        expected = sum(1 / (rrf + r) for r in (top.dense_rank, top.keyword_rank) if r is not None)
        assert top.score == pytest.approx(expected)


def test_mmr_lambda_and_dedup_threshold_shape_the_hits(hash_seeds: Path) -> None:
    query = "Russian cruise missile strikes on ISIS"
    relevance = [h.chunk.id for h in open_hash(hash_seeds, mmr_lambda=1.0).search(query, k=5)]
    diverse = [h.chunk.id for h in open_hash(hash_seeds, mmr_lambda=0.0).search(query, k=5)]
    assert relevance != diverse
    assert len(open_hash(hash_seeds, dedup_threshold=0.0).search(query, k=5)) == 1  # everything is a duplicate


def test_llm_model_url_and_key_reach_the_server(hash_seeds: Path) -> None:
    def reply(request: dict[str, Any]) -> str:
        return json.dumps({"answer": "NOT_IN_DOCUMENTS", "quotes": []})

    with FakeOpenAI(reply) as server:
        answer = open_hash(hash_seeds, llm="openai", llm_model="model-x", llm_base_url=server.base_url,
                           api_key="sk-effect").ask(QUESTION)
    assert answer.mode == "llm" and server.requests[0]["model"] == "model-x"
    assert {k.lower(): v for k, v in server.headers[0].items()}["authorization"] == "Bearer sk-effect"
    assert open_hash(hash_seeds, llm="extractive").ask(QUESTION).mode == "extractive"
