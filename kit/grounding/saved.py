"""A saved answer, check or report (`kit ask --json`, `kit check --out X.json`, `kit summarize
--out X.json`), read and validated against kit/schema.json before anything reads its fields.

The file `kit verify` is given comes from outside kit: it may be truncated, hand-edited or made
up. Validation names the first thing wrong (`claims[0].citations[1]: 'x' is not an integer`) in
one line, so nothing later meets a wrong type, a missing key or an infinite number. The
validator knows the keywords kit's schema uses (type, enum, required, properties,
additionalProperties, items, minItems, minimum, maximum, pattern, oneOf, $ref), not all of
JSON Schema; jsonschema is only a test dependency. It does not check that spans fit their files
or that citation keys exist: that is verification (`kit.grounding.verify`).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kit.errors import InputError

_TYPES: dict[str, tuple[type, ...]] = {"object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
                                       "null": (type(None),), "integer": (int,), "number": (int, float)}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """kit/schema.json, shipped inside the package."""
    return dict(json.loads(resources.files("kit").joinpath("schema.json").read_text(encoding="utf-8")))


# A report of every topic of a 230k-chunk store is a few MB; 256 MB bounds what a wrong file costs.
MAX_SAVED_BYTES = 256 * 2**20


def load_saved(path: Path) -> dict[str, Any]:
    """The saved answer, check or report at `path`; `InputError` (one line naming the file and the
    first problem) unless it is JSON that kit's schema accepts."""
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder; give the JSON file kit wrote (kit ask --json, --out X.json)") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: broken JSON, or an integer of more than 4300 digits; RecursionError: deep nesting.
        raise InputError(f"{path}: not a JSON file written by kit ({_short(str(exc) or type(exc).__name__)})") from None
    if not isinstance(data, dict) or not ({"claims", "summaries"} & set(data)):
        raise InputError(f"{path}: neither an answer (`kit ask --json`) nor a report (`kit summarize --out X.json`)")
    kind = saved_kind(data)
    problem = first_problem(data, {"$ref": f"#/$defs/{kind}"})
    if problem:
        raise InputError(f"{path}: not a valid saved {kind.lower()} ({problem}); save it again with kit")
    return data


def read_regular(path: Path, max_bytes: int = 0) -> bytes:
    """The bytes of `path` if it is a regular file of at most `max_bytes` (MAX_SAVED_BYTES by
    default); opened without blocking, so a FIFO is refused instead of waited on, and a device
    (/dev/zero never ends) too. `FileNotFoundError` if it is absent, `InputError` otherwise."""
    limit = max_bytes or MAX_SAVED_BYTES
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file (a FIFO, device or folder); give the file itself")
        if info.st_size > limit:
            raise InputError(f"{path}: {info.st_size / 1e6:.0f} MB, larger than the {limit >> 20} MB kit reads here")
        return f.read(limit + 1)


def saved_kind(data: dict[str, Any]) -> str:
    """Which schema a saved file claims to follow: Report, Check or Answer."""
    if "summaries" in data:
        return "Report"
    return "Check" if "files" in data and "question" not in data else "Answer"


def first_problem(value: Any, rule: dict[str, Any], where: str = "") -> str | None:
    """The first place where `value` breaks `rule` (a part of kit's schema), in words; None if none."""
    if "$ref" in rule:
        return first_problem(value, _resolve(rule["$ref"]), where)
    if "oneOf" in rule:
        fits = [r for r in rule["oneOf"] if first_problem(value, r, where) is None]
        return None if len(fits) == 1 else first_problem(value, rule["oneOf"][0], where) or f"{_at(where)}is ambiguous"
    for check in (_type, _enum, _bounds, _pattern, _object, _array):
        problem = check(value, rule, where)
        if problem:
            return problem
    return None


def _resolve(ref: str) -> dict[str, Any]:
    name = ref.removeprefix("#/$defs/")
    return dict(schema()["$defs"][name])


def _at(where: str) -> str:
    return f"{where}: " if where else ""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _shown(value: Any) -> str:
    return _short(json.dumps(value, ensure_ascii=True)[:200])


def _type(value: Any, rule: dict[str, Any], where: str) -> str | None:
    if "type" not in rule:
        return None
    names = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
    if isinstance(value, float) and not math.isfinite(value):  # NaN and Infinity, which json.loads accepts
        return f"{_at(where)}{_shown(value)} is not a finite number"
    if any(isinstance(value, _TYPES[n]) and (n == "boolean" or not isinstance(value, bool)) for n in names):
        return None
    return f"{_at(where)}{_shown(value)} is not {' or '.join(names)}"


def _enum(value: Any, rule: dict[str, Any], where: str) -> str | None:
    if "enum" in rule and not any(value == v and type(value) is type(v) for v in rule["enum"]):
        return f"{_at(where)}{_shown(value)} is not one of {', '.join(map(str, rule['enum']))}"
    return None


def _bounds(value: Any, rule: dict[str, Any], where: str) -> str | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if "minimum" in rule and value < rule["minimum"]:
        return f"{_at(where)}{_shown(value)} is below {rule['minimum']}"
    if "maximum" in rule and value > rule["maximum"]:
        return f"{_at(where)}{_shown(value)} is above {rule['maximum']}"
    return None


def _pattern(value: Any, rule: dict[str, Any], where: str) -> str | None:
    if "pattern" in rule and isinstance(value, str) and not re.search(rule["pattern"], value):
        return f"{_at(where)}{_shown(value)} is not of the form {rule['pattern']}"
    return None


def _object(value: Any, rule: dict[str, Any], where: str) -> str | None:
    if not isinstance(value, dict):
        return None
    missing = [k for k in rule.get("required", []) if k not in value]
    if missing:
        return f"{_at(where)}missing {missing[0]!r}"
    known = rule.get("properties", {})
    extra = rule.get("additionalProperties", True)
    for key, item in value.items():
        inner = f"{where}.{key}" if where else str(key)
        if key in known:
            problem = first_problem(item, known[key], inner)
        elif extra is False:
            problem = f"{_at(where)}unknown key {_shown(key)}"
        else:
            problem = first_problem(item, extra, inner) if isinstance(extra, dict) else None
        if problem:
            return problem
    return None


def _array(value: Any, rule: dict[str, Any], where: str) -> str | None:
    if not isinstance(value, list):
        return None
    if len(value) < rule.get("minItems", 0):
        return f"{_at(where)}has fewer than {rule['minItems']} items"
    for n, item in enumerate(value):
        problem = first_problem(item, rule["items"], f"{where}[{n}]") if "items" in rule else None
        if problem:
            return problem
    return None
