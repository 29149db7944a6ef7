"""The persistent tag cache: tags by file content hash, one `marshal` file per repository.

Tags are stored under the BLAKE2b hash of the file's bytes, so a file is parsed
again only when its content changes (not when it is merely touched, renamed, or
checked out again). To avoid reading every file on every refresh, each path
also keeps the `stat` fingerprint (mtime, size, inode) it had when it was
hashed; a file whose fingerprint is unchanged keeps its hash, as git trusts its
index. A file modified within `RACY_SECONDS` of being hashed could change again
within the same mtime tick, so its fingerprint is not trusted (git's "racily
clean" rule). See docs/decisions/0007-repository-map-tag-cache.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from slowcode.context.tags import FileTags

FORMAT_VERSION = 1
"""Bumped whenever the tags or the layout change: an older file is then ignored."""

RACY_SECONDS = 2.0

Fingerprint = tuple[int, int, int]
"""(mtime in ns, size, inode) of a file."""


def default_cache_dir() -> Path:
    """Where tag caches live: the user cache folder (`~/.cache/slowcode/repomap` on Linux)."""
    return platformdirs.user_cache_path("slowcode") / "repomap"


def content_hash(data: bytes) -> bytes:
    """The key of a file's tags: a 128-bit BLAKE2b digest of its bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def fingerprint(stat: os.stat_result) -> Fingerprint:
    """The part of a `stat` that changes when a file is written."""
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


@dataclass
class TagCache:
    """Tags by content hash, and each path's last known fingerprint and hash.

    Attributes:
        path: The cache file.
        tags: Tags by content hash (with the grammar name they were parsed with).
        known: For each repository-relative path: its fingerprint and content hash.
        results: Small memo of rendered maps, by a key naming the state and the query.
    """

    path: Path
    tags: dict[bytes, tuple[str, FileTags]] = field(default_factory=dict)
    known: dict[str, tuple[Fingerprint, bytes]] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def for_repository(cls, root: Path, cache_dir: Path | None = None) -> TagCache:
        """The cache of the repository at `root` (empty when there is none or it is unreadable)."""
        folder = cache_dir if cache_dir is not None else default_cache_dir()
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
        cache = cls(folder / f"{name}.marshal")
        cache.load()
        return cache

    def load(self) -> None:
        """Reads the cache file; a missing, corrupt or outdated one counts as empty."""
        try:
            data: Any = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if (
            not isinstance(data, tuple)
            or len(data) != 5
            or data[0] != FORMAT_VERSION
            or data[1] != sys.version_info[:2]
        ):
            return
        self.tags, self.known, self.results = data[2], data[3], data[4]

    def lookup(self, rel: str, stat: os.stat_result) -> bytes | None:
        """The content hash of `rel` if its fingerprint is unchanged (and was trustworthy)."""
        entry = self.known.get(rel)
        if entry is None or entry[0] != fingerprint(stat):
            return None
        return entry[1]

    def remember(self, rel: str, print_: Fingerprint, digest: bytes, hashed_ns: int) -> None:
        """Records `rel`'s hash; its fingerprint only when it was not modified just before.

        Args:
            rel: The repository-relative path.
            print_: Its fingerprint, taken before it was read.
            digest: The hash of what was read.
            hashed_ns: When it was read (`time.time_ns()`).
        """
        if print_[0] > hashed_ns - int(RACY_SECONDS * 1e9):
            # A racy entry gets an impossible fingerprint, so the next refresh hashes it again.
            print_ = (-1, -1, -1)
        if self.known.get(rel) != (print_, digest):
            self.known[rel] = (print_, digest)
            self.dirty = True

    def store(self, digest: bytes, language: str, tags: FileTags) -> None:
        """Keeps the tags of a content hash."""
        self.tags[digest] = (language, tags)
        self.dirty = True

    def remember_result(self, key: str, text: str) -> None:
        """Keeps one rendered map (only the latest few are kept)."""
        if self.results.get(key) == text:
            return
        self.results.pop(key, None)
        self.results[key] = text
        while len(self.results) > 8:
            del self.results[next(iter(self.results))]
        self.dirty = True

    def prune(self, live: set[str]) -> None:
        """Forgets paths not in `live` and tags no remaining path has."""
        for rel in [rel for rel in self.known if rel not in live]:
            del self.known[rel]
            self.dirty = True
        used = {digest for _, digest in self.known.values()}
        for digest in [digest for digest in self.tags if digest not in used]:
            del self.tags[digest]
            self.dirty = True

    def save(self) -> None:
        """Writes the cache atomically (a temporary file renamed over the old one).

        A cache that cannot be written (read-only home, full disk) is silently
        skipped: the map is still right, only the next start is slower.
        """
        if not self.dirty:
            return
        payload = marshal.dumps(
            (FORMAT_VERSION, sys.version_info[:2], self.tags, self.known, self.results)
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tags-")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            Path(temporary).replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
            return
        self.dirty = False
