"""Stage 1, decode: raw bytes of any encoding → text.

What holds once it has run:
1. the text is a `str` with `\n` line ends only (CRLF and CR folded);
2. no byte-order mark, no NUL, no C0 control character but `\n` and `\t`;
3. the file was neither empty nor binary (those raise `SourceError`).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ..core.errors import SourceError
from ..core.paths import refuse_leading_out

MAX_BYTES = 50 * 1024 * 1024  # a scraped policy document is never this large

# BOMs name their encoding exactly; trust them before any guessing.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never belong in a text file (keeps \t \n \r).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]")


def read_source_bytes(path: Path) -> bytes:
    refuse_leading_out(path)  # sources/x.txt -> ../.git/config would publish the git config
    try:
        size = path.stat().st_size
    except OSError as err:
        raise SourceError(path, f"cannot be read ({err.strerror})", fix="check the path") from err
    if size > MAX_BYTES:
        raise SourceError(
            path,
            f"is {size / 1024 / 1024:.0f} MB, over the 50 MB limit for one source",
            fix="split it into its documents or check that it is the right file",
        )
    return path.read_bytes()


def decode_bytes(data: bytes, path: Path, declared: str | None = None) -> str:
    """Bytes → text. `declared` is the charset a saved page names for itself; a BOM still wins."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SourceError(path, "is empty", fix="scrape the document again or remove the file")
    text = _decode(data, path, declared)[0]
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if len(CONTROL.findall(text)) > max(8, len(text) // 200):
        raise SourceError(
            path, "looks binary, not text", fix="add the text or a saved .html page instead"
        )
    return CONTROL.sub("", text)


def decode_keeping_line_ends(data: bytes, path: Path) -> tuple[str, str]:
    """Bytes → (text, the encoding that decoded them), line ends and BOM as they were: a dump's
    reader cuts each record's own bytes out of the file (ingest/dump.py), and a bare CR inside a
    CSV field is not a line end."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SourceError(path, "is empty", fix="export the dump again or remove the file")
    return _decode(data, path)


def _decode(data: bytes, path: Path, declared: str | None = None) -> tuple[str, str]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise _undecodable(path, data, err.start, encoding) from err
    if (utf16 := _utf16_without_bom(data)) is not None:
        return utf16
    if len(CONTROL_BYTES.findall(data[:65536])) > max(4, len(data[:65536]) // 100):
        # no text encoding but UTF-16 (handled above) puts control bytes in text
        raise SourceError(
            path,
            "looks binary, not text (it is full of control bytes)",
            fix="add the text or a saved .html page instead",
        )
    if declared and not declared.startswith("utf-16"):
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # the page lied about itself (it happens): guess as for a text file
    if b"\x00" in data:
        raise SourceError(
            path,
            "looks binary, not text (it contains NUL bytes)",
            fix="add the text or a saved .html page instead",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8", "utf_16"]).best()
        if best is None:
            best = from_bytes(data).best()
        if best is None:
            raise _undecodable(path, data, utf8_error.start, "utf-8") from utf8_error
        return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: the NULs of its ASCII characters (line ends, digits) fall on one side
    of the byte pairs (a few Chinese characters, 一 = 00 4E, put one on the other), and the
    decoded text is Chinese, ASCII and punctuation."""
    sample = data[:8192]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if max(even_nuls, odd_nuls) < 4 * max(1, min(even_nuls, odd_nuls)):
        return None  # no NULs, or as many on both sides: not UTF-16 text
    encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    readable = sum(1 for ch in text[:4096] if ch.isprintable() or ch in "\r\n\t")
    return (text, encoding) if readable >= 0.95 * len(text[:4096]) else None


def _undecodable(path: Path, data: bytes, offset: int, encoding: str) -> SourceError:
    line = data[:offset].count(b"\n") + 1
    return SourceError(
        path,
        f"cannot be decoded (not valid {encoding}, and no other encoding fits)",
        line=line,
        fix="save it again as UTF-8, GB18030 or Big5",
    )
