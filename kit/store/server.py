"""A Chroma server seen through its REST API, without importing chromadb.

Used before a client is made (is anything answering, within the timeout, and is it Chroma?) and
by commands that only need a collection's metadata (`kit files` checks the server's generation).
Errors come back as one line naming the server and what to do. This module stores nothing.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from kit.errors import Resource, StoreResourceError

_API = "/api/v2"
_COLLECTION = _API + "/tenants/default_tenant/databases/default_database/collections/{name}"


def probe(host: str, port: int, timeout: float) -> None:
    """Raise `StoreResourceError` unless a Chroma server answers its heartbeat at host:port."""
    body = _get(host, port, _API + "/heartbeat", timeout)
    if not isinstance(body, dict) or "nanosecond heartbeat" not in body:
        raise not_chroma(host, port, "its heartbeat is not Chroma's")


def collection_metadata(host: str, port: int, name: str, timeout: float) -> dict[str, Any] | None:
    """The metadata of collection `name`, or None if the server has no such collection."""
    try:
        body = _get(host, port, _COLLECTION.format(name=urllib.parse.quote(name)), timeout, missing_ok=True)
    except _NotFound:
        return None
    return dict(body.get("metadata") or {}) if isinstance(body, dict) else None


class _NotFound(Exception):
    pass


def _get(host: str, port: int, path: str, timeout: float, missing_ok: bool = False) -> Any:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1 never via a proxy
    try:
        with opener.open(f"http://{host}:{port}{path}", timeout=timeout) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and missing_ok:
            raise _NotFound from None
        raise not_chroma(host, port, f"it answered HTTP {exc.code}") from None
    except TimeoutError:
        raise timed_out(host, port, timeout) from None
    except (urllib.error.URLError, OSError) as exc:
        raise unreachable(host, port, getattr(exc, "reason", exc)) from None
    try:
        return json.loads(data)
    except ValueError:
        raise not_chroma(host, port, "it answered something other than JSON") from None


def unreachable(host: str, port: int, why: object) -> StoreResourceError:
    return StoreResourceError(
        f"cannot reach the Chroma server at {host}:{port} ({why}); start it (`chroma run --port {port}`) "
        "or set KIT_CHROMA_HOST / KIT_CHROMA_PORT", Resource.SERVER_UNREACHABLE)


def timed_out(host: str, port: int, timeout: float) -> StoreResourceError:
    return StoreResourceError(
        f"the Chroma server at {host}:{port} did not answer within {timeout:g} s (KIT_CHROMA_TIMEOUT); "
        "it may be frozen or overloaded", Resource.SERVER_TIMEOUT)


def not_chroma(host: str, port: int, why: str) -> StoreResourceError:
    return StoreResourceError(
        f"the server at {host}:{port} is not a Chroma server ({why}); check KIT_CHROMA_HOST / KIT_CHROMA_PORT",
        Resource.NOT_CHROMA)
