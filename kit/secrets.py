"""Keep credentials out of everything kit prints, logs or stores, and refuse keys that cannot work.

A base URL may carry a credential (`https://user:key@host/v1`, `?api-key=...`); `mask_url`
replaces it with `***` wherever the URL is shown, and `keep_out_of_logs` scrubs credentials from
every log record, since HTTP libraries log full request URLs. `check_key` refuses a key that no HTTP
header can carry as given (surrounding whitespace, a line break, non-ASCII characters), with
one line naming the variable instead of a misleading network error later. This module does
not read settings or the environment.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that carry credentials in the wild (Azure's api-key, Gemini's key, tokens).
_SECRET_PARAMS = re.compile(r"(key|token|secret|password|passwd|pwd|auth|sig|signature)", re.IGNORECASE)
MASK = "***"


def mask_url(url: str | None) -> str:
    """`url` with any user:password and credential-looking query values replaced by ***."""
    if not url:
        return url or ""
    try:
        parts = urlsplit(url)
    except ValueError:  # not parseable as a URL: show nothing of it rather than a secret
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = [(k, MASK if _SECRET_PARAMS.search(k) else v) for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs, safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def url_secrets(url: str | None) -> list[str]:
    """The credential strings inside `url` (password, user, secret query values), to scrub from text."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password or "", parts.username or ""]
        found += [v for k, v in parse_qsl(parts.query, keep_blank_values=True) if _SECRET_PARAMS.search(k)]
    except ValueError:
        return [url]
    return [s for s in found if len(s) >= 4]


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with every occurrence of each secret replaced by ***."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def check_key(key: str, source: str) -> str | None:
    """Why `key` (read from `source`, e.g. KIT_API_KEY) cannot be sent, or None when it can."""
    if key != key.strip():
        return (f"{source} has leading or trailing whitespace (a line break from a file or a paste?); "
                "remove it")
    if any(ch in key for ch in "\r\n\t"):
        return f"{source} contains a line break or tab; set it to the key alone"
    if not key.isascii():
        return (f"{source} contains non-ASCII characters (a typographic quote or dash from a paste?); "
                "an HTTP header cannot carry them")
    return None


_LOGGED_SECRETS: set[str] = set()
_INSTALL = threading.Lock()


def keep_out_of_logs(secrets: list[str]) -> None:
    """Scrub `secrets` from every log record made from now on, whichever library logs it
    (httpx logs each request's full URL, credentials included, at INFO)."""
    new = {s for s in secrets if len(s) >= 6} - _LOGGED_SECRETS  # shorter: test stand-ins, not keys
    if not new:
        return
    with _INSTALL:
        if not _LOGGED_SECRETS:
            _install_record_factory()
        _LOGGED_SECRETS.update(new)


def _install_record_factory() -> None:
    make = logging.getLogRecordFactory()

    def scrubbed(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to logging to report
            return record
        clean = scrub(message, sorted(_LOGGED_SECRETS, key=len, reverse=True))
        if clean != message:
            record.msg, record.args = clean, None
        return record

    logging.setLogRecordFactory(scrubbed)
