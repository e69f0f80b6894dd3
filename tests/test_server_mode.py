"""The store in http mode, against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kit.api import Kit
from kit.errors import SettingsMismatchError
from tests.helpers import SEED_FILES, SEEDS, kit_free_env

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(port: int) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI is not installed in this environment")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    server = subprocess.Popen([str(chroma), "run", "--path", str(data / "db"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=kit_free_env())
    try:
        deadline = time.monotonic() + 90  # the CLI takes ~10 s to start here
        while not answers(port):
            if server.poll() is not None:
                pytest.fail(f"chroma run exited with {server.returncode}: {(data / 'server.log').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 90 s")
            time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


@pytest.fixture
def http_kit(chroma_port: int, make_kit: Callable[..., Kit]) -> Callable[..., Kit]:
    def _open(**overrides: object) -> Kit:
        return make_kit(store_mode="http", chroma_port=chroma_port, **overrides)
    return _open


def test_ingest_search_and_idempotent_reingest(http_kit: Callable[..., Kit], store_dir: Path,
                                               copy_seeds: Callable[..., Path]) -> None:
    seeds = copy_seeds("seeds")
    first = http_kit(collection_prefix="seeds").ingest(seeds)
    assert first.files == len(SEED_FILES) and first.added == first.chunks > 0 and not first.issues

    k = http_kit(collection_prefix="seeds")
    hits = k.search("Kalibr cruise missile launched from the Caspian Sea", k=3)
    assert hits and hits[0].chunk.path in {f"seeds/{n}" for n in SEED_FILES}
    for h in hits:
        raw = (seeds.parent / h.chunk.path).read_text(encoding="utf-8")
        assert raw[h.chunk.start:h.chunk.end] == h.chunk.text
    assert k.store.count() == first.chunks

    again = http_kit(collection_prefix="seeds").ingest(seeds)
    assert (again.added, again.embedded, again.removed) == (0, 0, 0)
    assert again.unchanged_files == len(SEED_FILES)
    assert not list(store_dir.glob("chroma*"))  # no Chroma data locally: it is on the server


def test_server_store_refuses_other_settings(http_kit: Callable[..., Kit]) -> None:
    http_kit(collection_prefix="strict").ingest(SEEDS)
    with pytest.raises(SettingsMismatchError, match="chunk_size"):
        http_kit(collection_prefix="strict", chunk_size=400).search("Palmyra")


def test_changed_file_on_the_server(http_kit: Callable[..., Kit], copy_seeds: Callable[..., Path]) -> None:
    docs = copy_seeds()
    http_kit(collection_prefix="changes").ingest(docs)
    (docs / SEED_FILES[0]).unlink()
    report = http_kit(collection_prefix="changes").ingest(docs)
    assert report.removed > 0 and report.added == 0
    assert f"docs/{SEED_FILES[0]}" not in http_kit(collection_prefix="changes").store.catalog()
    assert f"docs/{SEED_FILES[1]}" in http_kit(collection_prefix="changes").store.catalog()
