"""Every repository path that a comment, a docstring, a template or a maintainer's document names
exists: a file moved or deleted leaves no comment pointing at it.

What is read: the comments and docstrings of the Python code (scripts/, tests/, overrides/hooks/),
the comments of the browser scripts and stylesheets (docs/assets/), the templates (overrides/),
the `#` comments of mkdocs.yml, pyproject.toml and the Makefile, and the whole text of README.md,
CONTRIBUTING.md, the design notes beside the code (scripts/**/*.md) and the hand-written pages
of docs/about/. A path is a word starting
with one of the repository's folders (`scripts/site/search_index.py`) or, for the code, a stage's
folder (`pages/web.py` is scripts/pages/web.py, `hooks/archive.py` is overrides/hooks/…). A path
written after a slash (`/…/sources/2024-x.txt`, an example of output) or with a placeholder
(`docs/doc/<id>.md`) is an example, not a claim; its fixed part before the placeholder is checked.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = ("scripts", "tests", "overrides", "docs", "sources", "published")
STAGES = ("core", "ingest", "archive", "pages", "pipeline", "site", "speed", "maintain", "bench")
# a path starts at a word boundary that is no slash, dot or dash (an example path /…/sources/x is
# not one of ours), and ends before a placeholder (<id>), a wildcard or punctuation
PATH = re.compile(r"(?<![\w/.\-~])(?P<path>(?P<top>[a-z_]+)/[\w\-./]*[\w\-])")
PLACEHOLDER = "<*{…"  # right after a path: its name goes on as a placeholder
# a file named x (sources/x.txt, partials/x.html) stands for any file of that folder
EXAMPLE = re.compile(r"/x(?:\.\w+)*$")
# folders of the code named without their parent: pages/web.py, hooks/archive.py, partials/x.html
SHORT = {
    **{stage: "scripts/" + stage for stage in STAGES},
    "hooks": "overrides/hooks",
    "partials": "overrides/partials",
    "assets": "docs/assets",
}


def named_paths(text: str) -> set[str]:
    """The repository paths a text names, each as a path from the repository's root."""
    found = set()
    for m in PATH.finditer(text):
        path, top = m["path"].rstrip("."), m["top"]
        if EXAMPLE.search(path) or text[m.end() : m.end() + 1] in PLACEHOLDER:
            continue
        if top in TOP:
            found.add(path)
        elif top in SHORT and re.search(r"\.(py|html|js|css)$", path):
            # only files: `site/search/` is a folder of the built site, not of scripts/
            found.add(SHORT[top] + path[len(top) :])
    return found


def python_prose(source: str) -> str:
    """The comments and docstrings of a Python module, not its code (a test's tmp_path/"sources/x"
    names a file it makes, not one of the repository's)."""
    parts = [
        tok.string
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            parts.append(ast.get_docstring(node, clean=False) or "")
    return "\n".join(parts)


JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.DOTALL)
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|<!--.*?-->", re.DOTALL)
HASH_COMMENT = re.compile(r"(?m)(?:^|\s)#[^\n]*")


def prose_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        return python_prose(text)
    if path.suffix in (".js", ".css"):
        return "\n".join(JS_COMMENT.findall(text))
    if path.suffix == ".html":
        return "\n".join(TEMPLATE_COMMENT.findall(text))
    if path.suffix == ".md":
        return text
    return "\n".join(HASH_COMMENT.findall(text))  # mkdocs.yml, pyproject.toml, Makefile


def files_read() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "mkdocs.yml"]
    files += [ROOT / "pyproject.toml", ROOT / "Makefile"]
    files += sorted((ROOT / "scripts").rglob("*.py")) + sorted((ROOT / "tests").glob("*.py"))
    files += sorted((ROOT / "overrides").rglob("*.py")) + sorted(
        (ROOT / "overrides").rglob("*.html")
    )
    assets = ROOT / "docs" / "assets"
    own = sorted(p for p in assets.rglob("*") if "vendor" not in p.relative_to(assets).parts)
    files += [p for p in own if p.suffix == ".js"] + [p for p in own if p.suffix == ".css"]
    files += sorted((ROOT / "scripts").rglob("*.md")) + sorted(
        (ROOT / "docs" / "about").glob("*.md")
    )
    return files


def test_the_paths_a_text_names_are_read_as_a_reader_reads_them():
    text = (
        "see scripts/site/search_index.py: and pages/web.py, hooks/archive.py; "
        "docs/doc/<id>.removed.txt, /…/sources/2024-long-copy.txt, site/search/index.json, "
        "a/b, tests/data/, sources/x.yml, sources/2024-hengyang-….yml."
    )
    assert named_paths(text) == {
        "scripts/site/search_index.py",
        "scripts/pages/web.py",
        "overrides/hooks/archive.py",
        "docs/doc",
        "tests/data",
    }


def test_a_stale_path_is_found():
    prose = python_prose(
        '"""Mirrors scripts/web.py."""\n# see scripts/slug.py\nx = "scripts/no.py"\n'
    )
    assert named_paths(prose) == {"scripts/web.py", "scripts/slug.py"}


# what `make` fetches or builds into the checkout, and git ignores: named before it exists
MADE_BY_MAKE = ("docs/assets/vendor", "tests/axe/node_modules", "tests/lighthouse/node_modules")


def exists(path: str) -> bool:
    return (ROOT / path).exists() or path.startswith(MADE_BY_MAKE)


@pytest.mark.parametrize("path", files_read(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_named_exists(path: Path):
    missing = sorted(p for p in named_paths(prose_of(path)) if not exists(p))
    assert not missing, f"{path.relative_to(ROOT)} names paths that do not exist: {missing}"
