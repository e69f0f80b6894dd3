"""The store in http mode, against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from kit.api import Kit
from kit.config import Settings
from kit.embeddings import HashEmbedder
from kit.errors import SettingsMismatchError, StoreBusyError, StoreResourceError
from kit.store.store import Store
from kit.store.writer import Lease
from tests.helpers import SEED_FILES, SEEDS, kit_command, kit_free_env

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


class ChromaServer:
    """`chroma run` on 127.0.0.1 with its own data folder; it can be frozen, killed and restarted."""

    def __init__(self, data: Path) -> None:
        self.data, self.port = data, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        chroma = Path(sys.executable).parent / "chroma"
        if not chroma.exists():
            pytest.skip("the chroma CLI is not installed in this environment")
        log = (self.data / "server.log").open("ab")
        self.process = subprocess.Popen([str(chroma), "run", "--path", str(self.data / "db"), "--host", "127.0.0.1",
                                         "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT,
                                        env=kit_free_env())
        log.close()
        deadline = time.monotonic() + 90  # the CLI takes ~10 s to start here
        while not answers(self.port):
            if self.process.poll() is not None:
                pytest.fail(f"chroma run exited with {self.process.returncode}: "
                            f"{(self.data / 'server.log').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 90 s")
            time.sleep(0.25)
        return self

    def signal(self, sig: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, sig)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.signal(signal.SIGCONT)
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def chroma_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    try:
        yield server.port
    finally:
        server.stop()


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A server for one test, which may freeze or kill it."""
    server = ChromaServer(tmp_path_factory.mktemp("own-server")).start()
    try:
        yield server
    finally:
        server.stop()


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


# -- every wait bounded, every failure one line --------------------------------------------------------

def http_cli(args: list[str], port: int, store: Path, timeout: float = 2.0, **env: str
             ) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `kit` in http mode against 127.0.0.1:port with KIT_CHROMA_TIMEOUT=timeout; (result, seconds)."""
    variables = {**kit_free_env(), "KIT_STORE_MODE": "http", "KIT_CHROMA_PORT": str(port),
                 "KIT_CHROMA_TIMEOUT": str(timeout), "KIT_EMBEDDER": "hash", **env}
    started = time.monotonic()
    done = subprocess.run([*kit_command(), *args, "--store", str(store)], capture_output=True, text=True,
                          env=variables, timeout=120)
    return done, time.monotonic() - started


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


class NotChroma(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body><h1>404 Not Found</h1></body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_dead_port_is_one_line_naming_host_and_port(tmp_path: Path) -> None:
    port = free_port()
    for command in (["search", "x"], ["ingest", str(SEEDS)], ["doctor"], ["files"]):
        done, seconds = http_cli(command, port, tmp_path / "store")
        line = one_line(done)
        assert f"cannot reach the Chroma server at 127.0.0.1:{port}" in line and "KIT_CHROMA_PORT" in line
        assert seconds < 20


def test_a_server_that_is_not_chroma_is_one_line(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotChroma)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for command in (["search", "x"], ["doctor"], ["ingest", str(SEEDS)]):
            done, _ = http_cli(command, server.server_address[1], tmp_path / "store")
            assert "is not a Chroma server (it answered HTTP 404)" in one_line(done)
            assert "crashes" not in done.stdout + done.stderr
    finally:
        server.shutdown()


def test_a_port_that_accepts_and_never_answers_is_bounded_by_chroma_timeout(tmp_path: Path) -> None:
    """Issue 14 #5: `kit search` ran past 400 s. KIT_CHROMA_TIMEOUT=2 must end it in seconds; were
    the setting ignored, the 30 s default would fail the bound."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # the kernel accepts connections; nobody ever answers
        port = listener.getsockname()[1]
        for command in (["search", "x"], ["files"]):
            done, seconds = http_cli(command, port, tmp_path / "store", timeout=2)
            assert "did not answer within 2 s (KIT_CHROMA_TIMEOUT)" in one_line(done)
            assert seconds < 15


def test_a_frozen_server_is_bounded_and_works_again_when_it_thaws(own_server: ChromaServer,
                                                                 copy_seeds: Callable[..., Path],
                                                                 store_dir: Path) -> None:
    docs = copy_seeds()
    done, _ = http_cli(["ingest", str(docs)], own_server.port, store_dir, timeout=5)
    assert done.returncode == 0, done.stderr
    own_server.signal(signal.SIGSTOP)
    try:
        for command in (["search", "cruise missiles"], ["ingest", str(docs)], ["doctor"], ["files"]):
            done, seconds = http_cli(command, own_server.port, store_dir, timeout=2)
            line = one_line(done)
            assert "did not answer within 2 s" in line and f"127.0.0.1:{own_server.port}" in line, line
            assert seconds < 20, (command, seconds)
    finally:
        own_server.signal(signal.SIGCONT)
    done, _ = http_cli(["search", "cruise missiles", "--json"], own_server.port, store_dir)
    assert done.returncode == 0 and json.loads(done.stdout)


class Sabotage:
    """An embedder double (the hashing embedder's protocol) that freezes or kills the server once
    the first batch is written, so the failure lands in the middle of an ingest."""

    def __init__(self, server: ChromaServer, sig: int) -> None:
        self.inner, self.server, self.sig, self.calls = HashEmbedder(), server, sig, 0
        self.name, self.dim = self.inner.name, self.inner.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == 2:
            self.server.signal(self.sig)
        return self.inner.embed(texts)


def big_corpus(folder: Path, n: int = 60) -> Path:
    """n copies of the seeds (about 480 chunks, two write batches)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.iterdir())
    for i in range(n):
        (folder / f"doc_{i:03d}.txt").write_text(f"Copy {i}.\n\n{seeds[i % 5].read_text(encoding='utf-8')}",
                                                 encoding="utf-8")
    return folder


def test_a_server_frozen_mid_ingest_fails_within_the_timeout(own_server: ChromaServer, tmp_path: Path,
                                                             make_kit: Callable[..., Kit]) -> None:
    """Issue 14 #5: a frozen server held `kit ingest` (and the write lock) for 200 s."""
    corpus = big_corpus(tmp_path / "corpus")
    k = make_kit(store_mode="http", chroma_port=own_server.port, chroma_timeout=2, lease_seconds=3)
    k._embedder = Sabotage(own_server, signal.SIGSTOP)
    started = time.monotonic()
    try:
        with pytest.raises((StoreResourceError, StoreBusyError)) as info:
            k.ingest(corpus)
        assert time.monotonic() - started < 30
        assert "did not answer within 2 s" in str(info.value) or "lost the write lease" in str(info.value)
    finally:
        own_server.signal(signal.SIGCONT)


def test_a_server_killed_mid_ingest_then_restarted_loses_nothing(own_server: ChromaServer, tmp_path: Path,
                                                                 make_kit: Callable[..., Kit]) -> None:
    """Issue 14 #6: server killed mid-ingest gave an httpx.ConnectError traceback. Now one line; after
    a restart the interrupted write's lease expires (KIT_LEASE_SECONDS=3: with the 30 s default the
    wait below would run out) and the next ingest completes it."""
    corpus = big_corpus(tmp_path / "corpus")
    k = make_kit(store_mode="http", chroma_port=own_server.port, chroma_timeout=3, lease_seconds=3)
    k._embedder = Sabotage(own_server, signal.SIGKILL)
    with pytest.raises(StoreResourceError, match=f"cannot reach the Chroma server at 127.0.0.1:{own_server.port}"):
        k.ingest(corpus)
    own_server.start()
    done, _ = http_cli(["ingest", str(corpus), "--wait", "20", "--json"], own_server.port,
                             k.store.dir, timeout=5, KIT_LEASE_SECONDS="3")
    assert done.returncode == 0, done.stderr
    assert any("completed it" in i["reason"] for i in json.loads(done.stdout)["issues"])
    ids = set(make_kit(store_mode="http", chroma_port=own_server.port).store.catalog())
    local = make_kit(store_dir=tmp_path / "clean")
    local.ingest(corpus)
    assert ids == set(local.store.catalog())
    assert make_kit(store_mode="http", chroma_port=own_server.port).store.count() == local.store.count()


WRITER = """
import json, sys, time, kit
from kit.errors import KitError
k = kit.open(store_dir=sys.argv[1], embedder="hash", store_mode="http", chroma_port=int(sys.argv[3]))
try:
    r = k.ingest(sys.argv[2], wait=float(sys.argv[4]))
    print(json.dumps({"ok": True, "added": r.added, "t": time.time()}))
except KitError as exc:
    print(json.dumps({"ok": False, "error": str(exc)}))
"""


def test_three_writers_on_one_server_take_turns(own_server: ChromaServer, tmp_path: Path,
                                               make_kit: Callable[..., Kit]) -> None:
    """Issue 14 #2: two ingests against one server (different local store folders) both ran and left
    a state no sequential run gives. Now they take turns under the server's write lease."""
    folders = []
    for name in ("a", "b", "c"):
        project = tmp_path / f"project-{name}"
        folders.append((project / ".kit", big_corpus(project / name, n=25)))

    def run_all(wait: float) -> list[dict[str, object]]:
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(store), str(folder), str(own_server.port),
                                   str(wait)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=kit_free_env()) for store, folder in folders]
        outs = [p.communicate(timeout=300) for p in procs]
        assert all("Traceback" not in err for _out, err in outs), outs
        return [json.loads(out.strip().splitlines()[-1]) for out, _err in outs]

    waiting = run_all(wait=120)
    assert all(r["ok"] for r in waiting), waiting
    server = make_kit(store_mode="http", chroma_port=own_server.port)
    assert sorted(s.name for s in server.store.sources()) == ["a", "b", "c"]
    sequential = make_kit(store_dir=tmp_path / "sequential" / ".kit")  # the same folders, one after the other
    for _store, folder in folders:
        sequential.ingest(shutil.copytree(folder, tmp_path / "sequential" / folder.name))
    assert set(server.store.catalog()) == set(sequential.store.catalog())
    assert server.store.count() == sequential.store.count() == len(server.store.chunks().catalog())
    rerun = run_all(wait=0)  # at once, without waiting: one writes, the others say busy (or find nothing new)
    assert all(r["ok"] or "busy" in str(r["error"]) for r in rerun), rerun


def lease_for(port: int, store_dir: Path, seconds: float = 30.0) -> Lease:
    settings = Settings.load(environ={}, store_dir=store_dir, embedder="hash", store_mode="http",
                             chroma_port=port, collection_prefix="lease", lease_seconds=seconds)
    return Lease(Store(settings, "hash-256", 256))


def test_the_write_lease_admits_one_writer_and_names_the_holder(chroma_port: int, tmp_path: Path) -> None:
    first, second = lease_for(chroma_port, tmp_path / "one"), lease_for(chroma_port, tmp_path / "two")
    first.acquire(0)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusyError, match=f"{socket.gethostname()}:{os.getpid()} holds its write lease"):
            second.acquire(1.5)
        assert 1.5 <= time.monotonic() - started < 10  # waited, bounded
    finally:
        first.release()
    second.acquire(0)  # released: free at once
    second.release()


def test_racing_writers_get_the_lease_one_at_a_time(chroma_port: int, tmp_path: Path) -> None:
    leases = [lease_for(chroma_port, tmp_path / f"w{i}") for i in range(3)]
    outcomes: list[str] = []
    go = threading.Barrier(3)

    def race(lease: Lease) -> None:
        go.wait()
        try:
            lease.acquire(0)
            outcomes.append("holder")
        except StoreBusyError:
            outcomes.append("busy")

    threads = [threading.Thread(target=race, args=(lease,)) for lease in leases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert sorted(outcomes) == ["busy", "busy", "holder"], outcomes
    finally:
        for lease in leases:
            if lease.valid_until:
                lease.release()


def test_an_abandoned_lease_is_taken_over_only_after_it_expires(chroma_port: int, tmp_path: Path) -> None:
    """A writer killed while holding the lease: others wait until it expires (lease_seconds), then take
    over; the old holder, were it only frozen, finds it lost the lease and stops."""
    dead, heir = lease_for(chroma_port, tmp_path / "dead", seconds=3), lease_for(chroma_port, tmp_path / "heir", 3)
    dead.acquire(0)
    dead._stop.set()  # its renewals stop, as when its process is killed or frozen
    with pytest.raises(StoreBusyError):
        heir.acquire(0)  # not expired yet
    started = time.monotonic()
    heir.acquire(15)
    assert 1.0 <= time.monotonic() - started < 10
    with pytest.raises(StoreBusyError, match="lost the write lease"):
        dead.check()
    heir.release()
