"""Vendor the browser scripts the site needs, pinned, at install time: `python -m scripts.site.vendor`.

Material for MkDocs would load Mermaid from a CDN when a page has a diagram; the archive must work
offline and be reproducible, so `make` fetches a pinned Mermaid from the npm registry with `npm
pack`, checks it against the integrity hash written here, and puts its one browser file in
docs/assets/vendor/ (ignored by git; overrides/hooks/mermaid.py loads it on pages with a diagram).
Nothing is fetched when the site is built or viewed.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.files import write_atomic

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Vendored:
    package: str
    version: str
    integrity: str  # the registry's sha512, as `npm view PACKAGE@VERSION dist.integrity` prints it
    member: str  # the file inside the package tarball
    dest: str  # where it goes, relative to the repository


# Mermaid 11 is the major version Material 9 expects (it would load mermaid@11 itself).
MERMAID = Vendored(
    package="mermaid",
    version="11.17.2",
    integrity="sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
    member="package/dist/mermaid.min.js",
    dest="docs/assets/vendor/mermaid.min.js",
)
VENDORED = (MERMAID,)


def integrity_of(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(item: Vendored, root: Path = ROOT) -> Path:
    dest = root / item.dest
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [
                "npm",
                "pack",
                "--silent",
                "--pack-destination",
                tmp,
                f"{item.package}@{item.version}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(
                f"npm pack {item.package}@{item.version} failed: {result.stderr.strip()}\n"
                "fix: check that npm is installed and the npm registry is reachable"
            )
        tarball = next(Path(tmp).glob("*.tgz"))
        if integrity_of(tarball) != item.integrity:
            raise SystemExit(
                f"{item.package}@{item.version}: the tarball does not match the pinned integrity "
                f"in scripts/site/vendor.py; refusing to use it"
            )
        with tarfile.open(tarball) as archive:
            member = archive.extractfile(item.member)
            if member is None:
                raise SystemExit(f"{item.package}@{item.version}: {item.member} is not a file")
            data = member.read()
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, data)  # a cut-off file would look up to date to make
    return dest


def main() -> None:
    for item in VENDORED:
        path = fetch(item)
        print(f"{item.package}@{item.version} → {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
