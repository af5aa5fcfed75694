"""Read an SQLite write-ahead log (WAL) the way SQLite's recovery does, to say what a damaged one loses.

SQLite replays the log's frames in order while each frame's cumulative checksum and salts match,
and silently drops the first frame that does not match *and every frame after it*. Saves that were
committed only to the log (not yet copied into the database) vanish without a word. This module
walks the same chain, then counts the frames beyond the break that still carry the log's salts and
a commit marker: each is a committed transaction (a save or a deletion) that recovery will drop.
A torn frame at the very end with nothing committed after it is the normal trace of an interrupted,
uncommitted write and is not reported.

Format: https://www.sqlite.org/fileformat2.html#walformat (32-byte header; each frame a 24-byte
header and one page; checksums are Fibonacci-weighted sums of 32-bit words).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

WAL_HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
_MAGIC_LITTLE, _MAGIC_BIG = 0x377F0682, 0x377F0683


@dataclass(frozen=True)
class WalDamage:
    """A log whose chain breaks before committed frames: what recovery will drop."""

    path: Path
    lost_commits: int     # committed transactions after the break (each save is one)
    intact_commits: int   # committed transactions before the break, which recovery keeps
    reason: str

    def describe(self) -> str:
        return (f"its write-ahead log {self.path.name} is damaged ({self.reason}); "
                f"{self.lost_commits} committed change(s) after the damage (each save or deletion is one) "
                f"could not be recovered, {self.intact_commits} before it were kept")


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def inspect_wal(wal_path: Path) -> WalDamage | None:
    """The damage in the log at ``wal_path``, or None when it is absent, empty or intact."""
    try:
        data = wal_path.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < WAL_HEADER_SIZE:
        return None  # SQLite treats a log shorter than its header as empty; it never held a commit
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:WAL_HEADER_SIZE])
    frame_size = FRAME_HEADER_SIZE + page_size
    if magic not in (_MAGIC_LITTLE, _MAGIC_BIG) or page_size < 512 or page_size & (page_size - 1):
        frames = max(0, (len(data) - WAL_HEADER_SIZE) // 4096)
        return WalDamage(wal_path, frames, 0, "its header is unreadable") if frames else None
    big = magic == _MAGIC_BIG
    if _checksum(data[:24], 0, 0, big) != (c0, c1):
        commits = _count_commits(data, WAL_HEADER_SIZE, frame_size, salt1, salt2)
        return WalDamage(wal_path, commits, 0, "its header checksum does not match") if commits else None
    s0, s1 = c0, c1
    intact = 0
    offset = WAL_HEADER_SIZE
    while offset + frame_size <= len(data):
        header = data[offset:offset + FRAME_HEADER_SIZE]
        _page, commit_size, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", header)
        frame = (offset - WAL_HEADER_SIZE) // frame_size + 1
        if (f_salt1, f_salt2) != (salt1, salt2):
            # Usually left over from before the log was last reset (not part of it); but if frames
            # of this log follow, this frame's header was damaged.
            lost = _count_commits(data, offset + frame_size, frame_size, salt1, salt2)
            return WalDamage(wal_path, lost, intact, f"frame {frame} has a damaged header") if lost else None
        s0, s1 = _checksum(header[:8], s0, s1, big)
        s0, s1 = _checksum(data[offset + FRAME_HEADER_SIZE:offset + frame_size], s0, s1, big)
        if (s0, s1) != (f0, f1):
            lost = _count_commits(data, offset, frame_size, salt1, salt2)
            return WalDamage(wal_path, lost, intact, f"frame {frame} fails its checksum") if lost else None
        intact += commit_size != 0
        offset += frame_size
    return None


def _count_commits(data: bytes, offset: int, frame_size: int, salt1: int, salt2: int) -> int:
    """Commit frames of this log (matching salts) from ``offset`` on, checksums unchecked."""
    count = 0
    while offset + frame_size <= len(data):
        _page, commit_size, f_salt1, f_salt2 = struct.unpack(">4I", data[offset:offset + 16])
        count += commit_size != 0 and (f_salt1, f_salt2) == (salt1, salt2)
        offset += frame_size
    return count
