"""Errors a maintainer sees: one line that names the file (and line) and says what to do."""

from __future__ import annotations

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
        return f"{message}; {self.fix}" if self.fix else message
