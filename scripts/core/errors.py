"""Errors a maintainer sees: one line that names the file (and line) and says what to do.

    sources/x.yml:3: has unknown key 'titel'; use one of id, note, overrides, retrieved, site, url

`SourceError` is raised for bad input; `check` collects the same objects as findings, so a
failure looks the same whichever command found it.
"""

from __future__ import annotations

import os
from pathlib import Path


class SourceError(Exception):
    """Bad input. `str()` is the one-line message the CLI prints."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None, fix: str = ""):
        self.path = Path(path)
        self.problem = problem
        self.line = line
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        message = f"{where}: {self.problem}"
        # One line, always: a newline in a problem (e.g. from a YAML parser) would split it.
        message = f"{message}; {self.fix}" if self.fix else message
        return " ".join(message.split())

    def relative_to(self, root: Path) -> SourceError:
        """The same error, naming its file relative to the repository (as a maintainer types it)."""
        # as named first: a symbolic link is named where it is, not where it leads
        for named in (Path(os.path.abspath(self.path)), self.path.resolve()):
            try:
                path = named.relative_to(Path(root).resolve())
            except ValueError:
                continue
            return SourceError(path, self.problem, self.line, self.fix)
        return self


# A finding of `check` is an error that is reported rather than raised.
Problem = SourceError
