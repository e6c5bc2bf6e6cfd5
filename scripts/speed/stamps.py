"""When a file's size and modification time may stand for its contents, as in git's index.

A file looked at (its size and time recorded) can change again without either changing only
within the same tick of its file system's clock: such a file is "racily clean" and is read again
next time. How long a tick lasts is told by the times themselves: a file system that keeps
fractions of a second (ext4, XFS, Btrfs, tmpfs, APFS, NTFS) stamps with the kernel's clock, whose
tick (and lag behind the clock that says when we looked) is a few milliseconds; one that keeps
whole seconds (ext3, HFS+, FAT's two) shows a time with no fraction, and gets the widest window.
"""

from __future__ import annotations

WHOLE_SECONDS_RACY_NS = 2 * 10**9  # FAT keeps even seconds
FINE_RACY_NS = 100 * 10**6  # far beyond a kernel tick (1–10 ms) and exFAT's 10 ms


def settled(mtime_ns: int, looked_at_ns: int) -> bool:
    """A file with this modification time, looked at after `looked_at_ns` (time.time_ns()),
    cannot have changed since without a new time: its recorded hash may stand for it."""
    fractional = mtime_ns % 10**9 != 0
    return mtime_ns < looked_at_ns - (FINE_RACY_NS if fractional else WHOLE_SECONDS_RACY_NS)
