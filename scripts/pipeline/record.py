"""What the last finished build read and wrote, so that the next one knows in a few hundred
milliseconds whether anything changed, as git's index does: each source and sidecar with its
size, modification time and conversion-cache key; each file written under docs/ with its size,
time and hash; the code's version; and what the closing line said.

A file whose size and time are those recorded keeps its recorded key or hash unread, unless its
time is within a tick of its file system's clock of when it was recorded (a change in the same
tick could keep both; speed/stamps.py): then it is read again. Every figure is a shortcut, never
a source of output: a missing, damaged or foreign record counts as none (the build looks at
everything), and a build that does not finish leaves the record of the last one that did, which
no longer matches what it changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_atomic
from ..speed.progress import Progress
from ..speed.stamps import settled
from ..speed.version import code_version

RECORD = Path(".cache") / "build-record.json"
FORMAT = 1


def content_hash(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass
class Seen:
    """Files as they are now, against a record: each one's stat and key (or hash)."""

    entries: dict[str, list] = field(default_factory=dict)  # name → [size, mtime_ns, key]
    read: int = 0  # how many had to be read (new, changed or racy)
    changed: set[str] = field(default_factory=set)  # whose key differs from the record's


def look(
    folder: Path,
    names: Iterable[str],
    known: dict[str, list],
    looked_at: int,
    key: Callable[[str], str],
) -> Seen:
    """Each file's [size, mtime_ns, key] by its name under `folder`, the key taken from `known`
    when its stat is the recorded one and not racy, else computed by `key(path)`. (Paths as
    strings: at 10,000 documents, pathlib's objects cost more than the system calls.)"""
    seen = Seen()
    stat = os.stat
    prefix = f"{folder}/"
    for name in names:
        try:
            found = stat(prefix + name)
        except FileNotFoundError:
            seen.changed.add(name)
            continue
        old = known.get(name)
        if (
            old
            and old[0] == found.st_size
            and old[1] == found.st_mtime_ns
            and settled(found.st_mtime_ns, looked_at)
        ):
            seen.entries[name] = old
            continue
        value = key(prefix + name)
        seen.read += 1
        seen.entries[name] = [found.st_size, found.st_mtime_ns, value]
        if not old or old[2] != value:
            seen.changed.add(name)
    return seen


def file_hash(path: str) -> str:
    with open(path, "rb") as f:
        return content_hash(f.read())


@dataclass
class BuildRecord:
    code: str = ""
    sources_at: int = 0  # when the sources were looked at
    sources: dict[str, list] = field(default_factory=dict)  # source name → [size, mtime, key]
    sidecars: dict[str, list] = field(default_factory=dict)  # sidecar name → [size, mtime, hash]
    docs_at: int = 0  # when docs/ was looked at
    docs: dict[str, list] = field(default_factory=dict)  # generated rel → [size, mtime, hash]
    said: dict = field(default_factory=dict)  # documents, pages, warnings: the closing line's

    @classmethod
    def load(cls, root: Path) -> BuildRecord:
        try:
            data = json.loads((root / RECORD).read_text(encoding="utf-8"))
            if data.pop("format") != FORMAT or data.get("code") != code_version():
                return cls()
            return cls(**data)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()  # none, damaged, or another version's: look at everything

    def save(self, root: Path) -> None:
        path = root / RECORD
        path.parent.mkdir(parents=True, exist_ok=True)
        data = dict(self.__dict__, format=FORMAT)
        write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    @staticmethod
    def forget(root: Path) -> None:
        (root / RECORD).unlink(missing_ok=True)


def now() -> int:
    return time.time_ns()


def docs_entries(
    docs_dir: Path, listed: Iterable[str], before: BuildRecord, known: dict[str, str]
) -> dict[str, list]:
    """The record of docs/ once a build listed `listed` there (and `.generated`): a file whose
    bytes the build knows (`known`: it wrote them, or read them to compare) has their hash, never
    read again; another keeps its recorded hash when its stat is the recorded one (and was not
    racy), and is hashed from disk otherwise."""
    entries = {}
    for rel in [*listed, ".generated"]:
        stat = os.stat(docs_dir / rel)
        old = before.docs.get(rel)
        if rel in known:
            entries[rel] = [stat.st_size, stat.st_mtime_ns, known[rel]]
        elif (
            old
            and old[:2] == [stat.st_size, stat.st_mtime_ns]
            and settled(stat.st_mtime_ns, before.docs_at)
        ):
            entries[rel] = old
        else:
            entries[rel] = [stat.st_size, stat.st_mtime_ns, file_hash(str(docs_dir / rel))]
    return entries


@dataclass
class Looked:
    """sources/ and docs/ against the record of the last finished build, before building."""

    root: Path
    progress: Progress
    record: BuildRecord
    sources: Seen  # every file of sources/ as it is now
    sources_at: int  # when they were looked at
    unchanged: bool  # nothing to do

    def finish(self, quiet: bool) -> list[str]:
        """A build with nothing to do: its closing line, as the last build said it."""
        record = self.record
        if self.sources.read or record.docs_at > self.sources_at:  # racy entries read again:
            record.sources, record.sources_at = self.sources.entries, self.sources_at  # recorded
            record.save(self.root)  # afresh, so that the next look reads none of them
        if not quiet:
            why = "nothing changed (sources, sidecars, generated pages and code as last built)"
            say_closing(self.root, self.progress, record.said, 0, why)
        return []

    def record_build(
        self, docs_dir: Path, listed: Iterable[str], known: dict[str, str], said: dict
    ) -> None:
        """The record of the build that just generated `listed` (`known`: the hash of each file
        whose bytes it wrote or read)."""
        docs_at = now()
        BuildRecord(
            code=code_version(),
            sources_at=self.sources_at,
            sources=self.sources.entries,
            docs_at=docs_at,
            docs=docs_entries(docs_dir, listed, self.record, known),
            said=said,
        ).save(self.root)


def look_before_building(root: Path, cache: bool, progress: Progress) -> Looked:
    """Every file of sources/ (sources, sidecars) with its size, time and hash, recorded ones
    unread; and whether they and the generated files under docs/ are what the last build saw and
    left (the code's version was checked as the record was loaded)."""
    record = BuildRecord.load(root) if cache else BuildRecord()
    with progress.stage("looking at sources/ and docs/", unit="files") as stage:
        sources_at = now()
        folder = root / "sources"
        entries = list(os.scandir(folder)) if folder.is_dir() else []
        names = sorted(entry.name for entry in entries if entry.is_file())
        # a link (sources/ itself, or a file in it) may lead out of the repository: only the
        # pipeline's own checks may pass it, so a link is never "nothing changed"
        linked = folder.is_symlink() or any(entry.is_symlink() for entry in entries)
        sources = look(folder, names, record.sources, record.sources_at, file_hash)
        stage.reached(len(names))
        unchanged = (
            cache
            and not linked
            and bool(record.said)
            and not sources.changed
            and set(sources.entries) == set(record.sources)
            and _docs_as_left(root, record)
        )
        stage.reached(len(names) + len(record.docs) * unchanged)
    return Looked(root, progress, record, sources, sources_at, unchanged)


def _docs_as_left(root: Path, record: BuildRecord) -> bool:
    generated = look(root / "docs", record.docs, record.docs, record.docs_at, file_hash)
    if generated.changed:
        return False
    if generated.read:
        record.docs, record.docs_at = generated.entries, now()  # newer than sources_at: saved
    return True


def say_closing(root: Path, progress: Progress, said: dict, changed: int, why: str) -> None:
    for warning in said["warnings"]:
        progress.say(f"{root / 'sources'}/{warning}")
    closing = f"built {said['documents']} documents; {changed} files changed under docs/"
    if progress.shows:
        closing += f"; {said['pages']} pages; {why}; {progress.times()}"
    progress.say(closing)
