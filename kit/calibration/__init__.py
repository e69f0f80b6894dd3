"""The fitted models kit ships: weights and thresholds, one JSON file per model in this folder.

Every reader goes through `load`, which fails the same way for every model when its file is
missing or unreadable (the package is damaged: reinstall). The bench scripts that fit a model
write it through `write`, and only they do. This module does not fit anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kit.errors import CalibrationError

FOLDER = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """Where the model `name` (e.g. "support") is kept."""
    return FOLDER / f"{name}.json"


def load(name: str) -> dict[str, Any]:
    """The fitted model `name`, as its JSON object."""
    file = path(name)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise CalibrationError(f"kit's calibration file {file} is missing or damaged; reinstall kit") from None
    if not isinstance(data, dict):
        raise CalibrationError(f"kit's calibration file {file} is damaged; reinstall kit")
    return data


def write(name: str, data: dict[str, Any]) -> Path:
    """Save a fitted model (bench scripts only); returns the file written."""
    file = path(name)
    file.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return file
