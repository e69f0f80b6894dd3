"""`kit ingest URL` fetches web pages from a real HTTP server on 127.0.0.1 (one thread per request):
a page goes in as a snapshot in the store folder that citations point at and `kit verify` reads
back, with the URL shown; a refetch syncs it like a folder; each kind of failure is one line
naming the URL and why, and keeps what the store had."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest

from kit.cli import main
from kit.config import Settings
from kit.corpus.web import FetchError, fetch, snapshot_path
from kit.store.state import read_state

ARTICLE = """<html><head><title>Lighthouses</title></head><body>
<nav>Home | News | Contact</nav>
<article><h1>The lighthouses of the Skerry coast</h1>
<p>The Skerry coast keeps fourteen lighthouses, the oldest of them lit in 1821 by the harbour board of
Vardholm. Each one is still tended by a keeper who climbs the tower at dusk.</p>
<p>In winter storms the keepers of Vardholm send a weather report to the mainland every six hours, and
the fishing fleet waits in harbour until the report says the swell has dropped below four metres.</p>
</article></body></html>"""
CHANGED = ARTICLE.replace("fourteen lighthouses", "fifteen lighthouses").replace(
    "every six hours", "every three hours")
ROBOTS = "User-agent: *\nDisallow: /private/\n"
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "kit" / "schema.json").read_text(encoding="utf-8"))


def valid(data: Any, kind: str) -> Any:
    jsonschema.validate(data, {**SCHEMA, "$ref": f"#/$defs/{kind}"})
    return data


class Site(BaseHTTPRequestHandler):
    """The test site: `pages` maps a path to (status, content type, body, extra headers); a body of
    None sleeps past the client's timeout; `stream` paths send their body without a length."""

    pages: ClassVar[dict[str, tuple[int, str, bytes | None, dict[str, str]]]] = {}
    stream: ClassVar[set[str]] = set()
    asked: ClassVar[list[str]] = []
    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.asked.append(self.path)
        self.agents.append(self.headers.get("User-Agent", ""))
        status, kind, body, headers = self.pages.get(self.path, (404, "text/html", b"<p>not here</p>", {}))
        if body is None:
            time.sleep(3)  # past the test's web_timeout of 0.5 s
            body = b"<p>too late</p>"
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for key, value in headers.items():
                self.send_header(key, value)
            if self.path not in self.stream:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout, size limit): nothing to answer
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    Site.pages = {
        "/robots.txt": (200, "text/plain", ROBOTS.encode(), {}),
        "/article.html": (200, "text/html; charset=utf-8", ARTICLE.encode(), {}),
        "/private/secret.html": (200, "text/html", ARTICLE.encode(), {}),
        "/broken": (500, "text/html", b"<p>oops</p>", {}),
        "/slow": (200, "text/html", None, {}),
        "/loop-a": (302, "text/html", b"", {"Location": "/loop-b"}),
        "/loop-b": (302, "text/html", b"", {"Location": "/loop-a"}),
        "/moved": (301, "text/html", b"", {"Location": "/article.html"}),
        "/binary": (200, "application/octet-stream", bytes(range(256)) * 40, {}),
        "/huge": (200, "text/html", b"<p>" + b"words and more words " * 20_000 + b"</p>", {}),
    }
    Site.stream = {"/huge"}
    Site.asked, Site.agents = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("KIT_WEB_TIMEOUT", "0.5")
    monkeypatch.setenv("KIT_MAX_FILE_MB", "0.05")  # 52 KB: the article fits, /huge (420 KB) does not
    monkeypatch.chdir(tmp_path)

    def _run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--store", str(tmp_path / "store"), "--embedder", "hash"])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def snapshot(tmp_path: Path, url: str) -> Path:
    return snapshot_path(tmp_path / "store", url, ".html")


def test_a_page_goes_in_as_a_snapshot_with_its_url_recorded(site: str, run: Any, tmp_path: Path) -> None:
    url = f"{site}/article.html"
    code, out, err = run("ingest", url, "--json")
    assert code == 0, err
    report = valid(json.loads(out), "IngestReport")
    assert report["source"] == url and report["files"] == 1 and report["added"] >= 1 and report["errors"] == 0
    saved = snapshot(tmp_path, url)
    assert saved.read_bytes() == ARTICLE.encode()
    record = json.loads(saved.with_suffix(".json").read_text())
    assert record["url"] == record["final_url"] == url and record["status"] == 200
    assert record["content_type"] == "text/html" and record["fetched"].endswith("+00:00")
    state = read_state(tmp_path / "store")
    assert state is not None
    name = saved.relative_to(tmp_path).as_posix()
    assert [(s.name, s.kind, s.url) for s in state.sources] == [(name, "url", url)]
    assert Site.asked == ["/robots.txt", "/article.html"]
    assert all(agent.startswith("kit/") for agent in Site.agents), Site.agents


def test_files_lists_the_url_and_rm_url_removes_it(site: str, run: Any, tmp_path: Path) -> None:
    url = f"{site}/article.html"
    assert run("ingest", url)[0] == 0
    code, out, _ = run("files")
    assert code == 0 and f"{url} (saved as store/web/" in out
    code, out, err = run("remove", url)
    assert code == 0 and f"removed {url} (saved as store/web/" in out, err
    assert "still on disk" not in out  # no folder ingest reads the store folder back
    state = read_state(tmp_path / "store")
    assert state is not None and state.sources == ()
    code, _, err = run("remove", url)
    assert code == 1 and err.count("\n") == 1 and f"no page fetched from {url}" in err


def test_refetch_embeds_nothing_for_an_unchanged_page_and_replaces_a_changed_one(site: str, run: Any,
                                                                               tmp_path: Path) -> None:
    url = f"{site}/article.html"
    first = json.loads(run("ingest", url, "--json")[1])
    again = json.loads(run("ingest", url, "--json")[1])
    assert again["embedded"] == 0 and again["unchanged_files"] == 1 and again["chunks"] == first["chunks"]
    Site.pages["/article.html"] = (200, "text/html", CHANGED.encode(), {})
    changed = json.loads(run("ingest", url, "--json")[1])
    assert changed["embedded"] >= 1 and changed["removed"] >= 1 and changed["unchanged_files"] == 0
    assert snapshot(tmp_path, url).read_bytes() == CHANGED.encode()
    code, out, _ = run("search", "fifteen lighthouses Skerry coast", "--json")
    texts = " ".join(h["text"] for h in json.loads(out))
    assert code == 0 and "fifteen" in texts and "fourteen" not in texts


def test_a_redirect_is_followed_and_recorded(site: str, run: Any, tmp_path: Path) -> None:
    url = f"{site}/moved"
    code, _, err = run("ingest", url)
    assert code == 0, err
    record = json.loads(snapshot(tmp_path, url).with_suffix(".json").read_text())
    assert record["url"] == url and record["final_url"] == f"{site}/article.html"


@pytest.mark.parametrize(("path", "why"), [
    ("/missing", "HTTP 404 Not Found"),
    ("/broken", "HTTP 500 Internal Server Error"),
    ("/slow", "no answer within web_timeout=0.5 s"),
    ("/loop-a", "redirect loop"),
    ("/binary", "content type application/octet-stream"),
    ("/huge", "larger than max_file_mb=0.05"),
    ("/private/secret.html", "robots.txt disallows it"),
])
def test_each_failure_is_one_line_naming_the_url_and_exit_1(site: str, run: Any, tmp_path: Path,
                                                            path: str, why: str) -> None:
    code, out, err = run("ingest", f"{site}{path}")
    assert code == 1 and out == "" and err.count("\n") == 1, (out, err)
    assert err.startswith(f"kit: error: {site}{path}: ") and why in err and "the store is unchanged" in err
    assert not (tmp_path / "store" / "web").exists()


def test_a_refused_connection_is_one_line(run: Any) -> None:
    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run("ingest", f"http://127.0.0.1:{port}/page.html")
    assert code == 1 and err.count("\n") == 1 and f"127.0.0.1:{port}/page.html: cannot connect" in err


def test_ignore_robots_fetches_a_disallowed_page(site: str, run: Any) -> None:
    code, out, err = run("ingest", f"{site}/private/secret.html", "--ignore-robots")
    assert code == 0 and "errors 0" in out, err
    assert "/robots.txt" not in Site.asked


def test_a_list_of_urls_ingests_what_it_can_and_names_each_failure(site: str, run: Any, tmp_path: Path) -> None:
    listing = tmp_path / "reading.txt"
    listing.write_text(f"# my reading list\n{site}/article.html\n\n{site}/missing\n{site}/binary\n")
    code, out, err = run("ingest", "--urls", str(listing))
    assert code == 0, err
    assert f"error: {site}/missing: HTTP 404 Not Found" in out
    assert f"error: {site}/binary: content type application/octet-stream" in out
    assert out.splitlines()[0].startswith("3 URLs: files 1") and "errors 2" in out
    code, _, err = run("ingest", "--urls", str(tmp_path / "nope.txt"))
    assert code == 1 and err.count("\n") == 1 and "--urls" in err and "nope.txt" in err


def test_a_failed_refetch_keeps_the_old_snapshot_and_its_chunks(site: str, run: Any, tmp_path: Path) -> None:
    url = f"{site}/article.html"
    first = json.loads(run("ingest", url, "--json")[1])
    Site.pages["/article.html"] = (500, "text/html", b"<p>down</p>", {})
    code, _, err = run("ingest", url)
    assert code == 1 and "HTTP 500" in err
    assert snapshot(tmp_path, url).read_bytes() == ARTICLE.encode()
    code, out, _ = run("files", "--json")
    assert code == 0 and sum(f["chunks"] for f in json.loads(out)["files"]) == first["chunks"]


def test_a_folder_synced_around_the_store_leaves_the_pages_alone(site: str, run: Any, tmp_path: Path) -> None:
    url = f"{site}/article.html"
    pages = json.loads(run("ingest", url, "--json")[1])["chunks"]
    (tmp_path / "notes.txt").write_text("The ferry to Vardholm leaves at nine every morning.\n")
    code, out, err = run("ingest", ".", "--json")
    assert code == 0 and json.loads(out)["files"] == 1, err  # notes.txt; the store folder is never scanned
    code, out, _ = run("files", "--json")
    listing = valid(json.loads(out), "Listing")
    assert {s["kind"] for s in listing["sources"]} == {"folder", "url"}
    assert sum(f["chunks"] for f in listing["files"] if f["path"].startswith("store/web/")) == pages
    code, out, _ = run("doctor", "--json")
    checkup = json.loads(out)
    assert code == 0 and checkup["verdict"] == "healthy" and checkup["sources"]["."] == {"ok": 1}, json.dumps(checkup)


def test_ask_and_search_cite_the_snapshot_with_the_url_and_verify_passes(site: str, run: Any,
                                                                         tmp_path: Path) -> None:
    url = f"{site}/article.html"
    assert run("ingest", url)[0] == 0
    name = snapshot(tmp_path, url).relative_to(tmp_path).as_posix()
    code, out, _ = run("search", "keepers weather report")
    assert code == 0 and f"{name} from {url}" in out
    hits = [valid(h, "Hit") for h in json.loads(run("search", "keepers weather report", "--json")[1])]
    assert hits and all(h["url"] == url for h in hits)
    code, out, err = run("ask", "How often do the keepers of Vardholm send a weather report?", "--json")
    assert code == 0, err
    answer = valid(json.loads(out), "Answer")
    assert answer["citations"], answer
    assert all(c["path"] == name and c["url"] == url for c in answer["citations"])
    saved = tmp_path / "answer.json"
    saved.write_text(out)
    code, out, err = run("verify", str(saved))
    assert code == 0 and "all checks pass" in out, (out, err)
    code, out, _ = run("ask", "How often do the keepers of Vardholm send a weather report?")
    assert f"{name} from {url}" in out
    claim = "The keepers of Vardholm send a weather report to the mainland every six hours."
    for suffix, shows in ((".md", f"from <{url}>"), (".html", f"href='{url}'")):
        code, _, err = run("check", claim, "--out", str(tmp_path / f"check{suffix}"))
        assert code == 0 and shows in (tmp_path / f"check{suffix}").read_text(encoding="utf-8"), err


def test_fetch_checks_robots_for_every_redirect_hop(site: str) -> None:
    Site.pages["/moved"] = (301, "text/html", b"", {"Location": "/private/secret.html"})
    settings = Settings.load(environ={}, web_timeout=0.5)
    with pytest.raises(FetchError, match=r"robots\.txt disallows it"):
        fetch(f"{site}/moved", settings)


def test_web_max_redirects_bounds_the_hops_followed(site: str) -> None:
    for n in (1, 2, 3):
        Site.pages[f"/hop{n}"] = (302, "text/html", b"", {"Location": f"/hop{n + 1}" if n < 3 else "/article.html"})
    with pytest.raises(FetchError, match="more than web_max_redirects=2 redirects"):
        fetch(f"{site}/hop1", Settings.load(environ={}, web_max_redirects=2))
    page = fetch(f"{site}/hop1", Settings.load(environ={}, web_max_redirects=3))
    assert page.final_url == f"{site}/article.html" and page.body == ARTICLE.encode()


def test_web_robots_off_fetches_a_disallowed_page_without_reading_robots_txt(site: str) -> None:
    page = fetch(f"{site}/private/secret.html", Settings.load(environ={}, web_robots=False))
    assert page.status == 200 and Site.asked == ["/private/secret.html"]


def test_reports_link_only_an_http_url() -> None:
    from kit.report.common import citation_line
    from kit.report.html import citation_html
    from kit.types import Citation

    page = Citation(1, "store/web/h/a-1.html", 0, 5, "article", "Skerry", url="https://example.org/a")
    forged = Citation(1, "store/web/h/a-1.html", 0, 5, "article", "Skerry", url="javascript:alert(1)")
    assert "store/web/h/a-1.html from https://example.org/a [0:5]" in citation_line(page)
    assert "href='https://example.org/a'" in citation_html(page)
    assert "javascript" not in citation_html(forged)


def test_the_api_ingests_a_url_given_where_a_folder_goes(site: str, make_kit: Any) -> None:
    url = f"{site}/article.html"
    report = make_kit().ingest(url)
    assert report.source == url and report.files == 1 and report.added >= 1
    assert [(s.kind, s.url) for s in make_kit().files().sources] == [("url", url)]


def test_a_fragment_names_the_same_page(site: str, run: Any) -> None:
    url = f"{site}/article.html"
    assert json.loads(run("ingest", f"{url}#keepers", "--json")[1])["source"] == url
    again = json.loads(run("ingest", url, "--json")[1])
    assert again["embedded"] == 0 and again["unchanged_files"] == 1
    assert run("rm", f"{url}#top")[0] == 0


def test_a_page_served_as_text_later_replaces_its_html_snapshot(site: str, run: Any, tmp_path: Path) -> None:
    url = f"{site}/article.html"
    assert run("ingest", url)[0] == 0
    Site.pages["/article.html"] = (200, "text/plain", b"The Skerry coast keeps sixteen lighthouses now.\n", {})
    code, out, err = run("ingest", url, "--json")
    assert code == 0 and json.loads(out)["embedded"] == 1, err
    listing = json.loads(run("files", "--json")[1])
    assert [(s["kind"], s["url"]) for s in listing["sources"]] == [("url", url)]
    assert [f["path"] for f in listing["files"]] == [
        snapshot_path(tmp_path / "store", url, ".txt").relative_to(tmp_path).as_posix()]


@pytest.mark.parametrize(("robots", "fetched", "why"), [
    ((404, "text/html", b"<p>no rules here</p>", {}), True, ""),
    ((403, "text/plain", b"go away", {}), False, "robots.txt disallows it"),
    ((503, "text/plain", b"busy", {}), False, "robots.txt answered HTTP 503"),
])
def test_robots_txt_missing_forbidden_or_failing_reads_as_rfc_9309_says(
        site: str, robots: tuple[int, str, bytes, dict[str, str]], fetched: bool, why: str) -> None:
    Site.pages["/robots.txt"] = robots
    settings = Settings.load(environ={}, web_timeout=0.5)
    if fetched:
        assert fetch(f"{site}/article.html", settings).body == ARTICLE.encode()
    else:
        with pytest.raises(FetchError, match=why.replace(".", r"\.")):
            fetch(f"{site}/article.html", settings)
        assert Site.asked == ["/robots.txt"]
