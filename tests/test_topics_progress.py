"""Progress of `kit topics` and `kit summarize`: the stages and counts reported through the
library's callback, and a bar on stderr only when stderr is a terminal (driven through a
pseudo-terminal), never with --json, --no-progress or a pipe, and never on stdout.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
from collections.abc import Callable
from pathlib import Path

import pytest

from kit.api import Kit
from kit.progress import Stage
from kit.text import plural
from tests.helpers import SEED_FILES, SEEDS, Recording, kit_command, kit_free_env


@pytest.fixture
def seeded(make_kit: Callable[..., Kit]) -> Kit:
    k = make_kit()
    k.ingest(SEEDS)
    return k


def test_topics_report_fetch_cluster_and_label_with_their_counts(seeded: Kit) -> None:
    chunks = seeded.store.count()
    progress = Recording()
    topics = seeded.topics(progress=progress)
    starts = [(e[1], e[2]) for e in progress.events if e[0] == "start"]
    assert [s for s, _ in starts] == [Stage.FETCH, Stage.CLUSTER, Stage.LABEL]
    assert starts[0][1] == chunks and sum(e[2] for e in progress.stage(Stage.FETCH)) == chunks
    assert starts[1][1] == len(SEED_FILES) and sum(e[2] for e in progress.stage(Stage.CLUSTER)) == len(SEED_FILES)
    assert starts[2][1] == len(topics)
    assert [e[1] for e in progress.stage(Stage.LABEL)] == [t.label for t in topics]
    assert progress.events[-1][0] == "finish" and plural(len(topics), "topic") in str(progress.events[-1][1])
    # A rerun with nothing changed takes every label from the topic cache: nothing to label.
    again = Recording()
    seeded.topics(progress=again)
    assert ("start", Stage.LABEL, 0) in again.events and not again.stage(Stage.LABEL)


def test_summarize_reports_each_topic_summarized(seeded: Kit) -> None:
    progress = Recording()
    summaries = seeded.summarize(progress=progress)
    starts = [e[1] for e in progress.events if e[0] == "start"]
    assert starts == [Stage.FETCH, Stage.CLUSTER, Stage.LABEL, Stage.SUMMARIZE]
    assert ("start", Stage.SUMMARIZE, len(summaries)) in progress.events
    assert [e[1] for e in progress.stage(Stage.SUMMARIZE)] == [s.topic.title for s in summaries]
    assert [e[0] for e in progress.events].count("finish") == 1  # one summary line, at the end
    assert "topics summarized" in str(progress.events[-1][1])


def test_the_library_prints_nothing_unless_asked(seeded: Kit, capsys: pytest.CaptureFixture[str]) -> None:
    seeded.topics()
    seeded.summarize()
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def _run(args: list[str], tty: bool) -> tuple[str, str]:
    """Run kit with stderr on a pseudo-terminal (or a pipe); stdout is always a pipe."""
    if not tty:
        done = subprocess.run([*kit_command(), *args], capture_output=True, text=True, timeout=300,
                              env=kit_free_env())
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    # A real terminal has a size; a new pty has 0 columns, where a bar fits no text at all.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([*kit_command(), *args], stdout=subprocess.PIPE, stderr=slave, env=kit_free_env())
    os.close(slave)
    err = b""
    while True:  # read as it comes: a full pty buffer would block the bar's writes
        ready, _, _ = select.select([master], [], [], 1.0)
        if master in ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            err += chunk
        elif proc.poll() is not None:
            break
    out = proc.communicate(timeout=300)[0]
    os.close(master)
    assert proc.returncode == 0, err
    return out.decode(), err.decode(errors="replace")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("progress") / "store")
    _run(["ingest", str(SEEDS), "--store", path, "--embedder", "hash", "--no-progress"], tty=False)
    return path


BAR_WORDS = ("reading vectors", "clustering", "labelling topics", "summarizing topics", "it/s", "%|")


def test_a_terminal_sees_each_stage_on_stderr_and_stdout_stays_clean(store: str) -> None:
    out, err = _run(["topics", "--store", store, "--embedder", "hash"], tty=True)
    assert "reading vectors" in err and "clustering" in err and "labelling topics" in err
    assert "topics: " in err and " topics in " in err  # the line the bar leaves
    assert not any(w in out for w in BAR_WORDS) and out.strip().startswith("1.")
    out, err = _run(["summarize", "--store", store, "--embedder", "hash"], tty=True)
    assert "summarizing topics" in err and " topics summarized in " in err
    assert not any(w in out for w in BAR_WORDS)


@pytest.mark.parametrize("args, tty", [(["--json"], True), (["--no-progress"], True), ([], False)])
def test_no_progress_with_json_no_progress_or_a_pipe(store: str, args: list[str], tty: bool) -> None:
    for command in ("topics", "summarize"):
        out, err = _run([command, "--store", store, "--embedder", "hash", *args], tty=tty)
        assert not any(w in err or w in out for w in BAR_WORDS), (command, args, err)
        assert f"{command}:" not in err
    assert Path(store).exists()
