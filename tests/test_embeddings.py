"""The offline embedders: the real bundled MiniLM on onnxruntime (int8 default, fp32) and on torch."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import numpy as np
import pytest

from kit.config import Settings
from kit.embeddings import OnnxMiniLM, TorchMiniLM, get_embedder, identity
from tests.helpers import kit_command, kit_free_env

TEXTS = [
    "Russia launched eighteen cruise missiles from warships in the Caspian Sea.",
    "The museum in Palmyra was damaged by the fighters.",
    "Oil smuggling brings the group millions of dollars every month.",
    "A reader wrote that the article was biased.",
    "Short.",
    "Warships in the Caspian fired 18 cruise missiles, Moscow said. " * 12,  # past 256 pieces
]


@pytest.fixture(scope="module")
def int8() -> OnnxMiniLM:
    embedder = get_embedder(Settings.load(environ={}))
    assert isinstance(embedder, OnnxMiniLM) and embedder.name.endswith("-int8"), "int8 MiniLM is the default"
    return embedder


def test_vectors_are_unit_length_in_input_order(int8: OnnxMiniLM) -> None:
    vectors = int8.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = np.stack([int8.embed([t])[0] for t in TEXTS])
    assert np.array_equal(vectors, alone), "order kept, and a vector does not depend on its batch neighbours"
    assert int8.embed([]).shape == (0, 384)


def test_meaning_not_surface(int8: OnnxMiniLM) -> None:
    a, b, c = int8.embed([TEXTS[0], "Moscow said its navy fired 18 cruise missiles from the Caspian.",
                          "The weather in Lisbon was mild and sunny."])
    assert float(a @ b) > float(a @ c) + 0.3


def test_parallel_sessions_match_one_session(int8: OnnxMiniLM) -> None:
    single = OnnxMiniLM(quantized=True, workers=1)
    assert np.array_equal(single.embed(TEXTS * 3), int8.embed(TEXTS * 3))


def test_batches_of_several_texts_agree_closely(int8: OnnxMiniLM) -> None:
    batched = OnnxMiniLM(quantized=True, batch_size=4).embed(TEXTS)
    cosines = np.sum(batched * int8.embed(TEXTS), axis=1)
    assert cosines.min() > 0.97  # int8 activation scales are per batch, so not bit-equal


@pytest.mark.slow
def test_onnx_graphs_match_the_reference_model(int8: OnnxMiniLM) -> None:
    torch_vectors = get_embedder(Settings.load(environ={}, embedder="minilm-torch")).embed(TEXTS)
    fp32_vectors = get_embedder(Settings.load(environ={}, embedder="minilm")).embed(TEXTS)
    assert np.sum(fp32_vectors * torch_vectors, axis=1).min() > 0.9999, "fp32 graph = sentence-transformers"
    assert np.sum(int8.embed(TEXTS) * torch_vectors, axis=1).min() > 0.97, "int8 close to the reference"


def test_a_forked_child_can_still_embed(int8: OnnxMiniLM, tmp_path: Path) -> None:
    expected = int8.embed(TEXTS)  # the parent's worker threads exist before the fork
    out = tmp_path / "child.npy"
    pid = os.fork()
    if pid == 0:  # the child: embed, save, exit without running pytest's teardown
        signal.alarm(60)
        np.save(out, int8.embed(TEXTS))
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert status == 0 and np.array_equal(np.load(out), expected)


@pytest.mark.slow
def test_model_is_prepared_once_with_one_line_and_no_export_warnings(tmp_path: Path) -> None:
    env = {**kit_free_env(), "KIT_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([*kit_command(), "prepare"], capture_output=True, text=True, timeout=600, env=env)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kit: preparing the embedding model"), first.stderr
    assert "TracerWarning" not in first.stderr and "pre-processing" not in first.stderr
    graph = Path(first.stdout.strip().split(": ", 1)[1])
    assert graph.is_file() and graph.parent == tmp_path / "cache" and graph.name.endswith("-int8.onnx")
    again = subprocess.run([*kit_command(), "prepare"], capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0 and again.stderr == ""  # prepared once: nothing to say the second time


def test_embedder_identity_is_known_without_loading_a_model(int8: OnnxMiniLM) -> None:
    assert identity(Settings.load(environ={})) == (int8.name, int8.dim)
    hashing = Settings.load(environ={}, embedder="hash")
    assert identity(hashing) == (get_embedder(hashing).name, get_embedder(hashing).dim)
    assert identity(Settings.load(environ={}, embedder="minilm")) == ("all-MiniLM-L6-v2", 384)
    assert identity(Settings.load(environ={}, embedder="minilm-torch")) == (TorchMiniLM.name, TorchMiniLM.dim)


def test_a_single_query_starts_one_session_and_a_batch_starts_the_rest() -> None:
    embedder = OnnxMiniLM(quantized=True, workers=2)
    embedder.embed(["one query, as a search embeds"])
    assert len(embedder.sessions) == 1  # a cold search pays for one session only
    vectors = embedder.embed(TEXTS)
    assert len(embedder.sessions) == 2 and vectors.shape == (len(TEXTS), 384)
