"""The persistent tag cache: tags by file content hash, one `marshal` file per repository.

Tags are stored under the BLAKE2b hash of the file's bytes, so a file is parsed
again only when its content changes (not when it is merely touched, renamed, or
checked out again). To avoid reading every file on every refresh, each path
also keeps the `stat` fingerprint (mtime, size, inode) it had when it was
hashed; a file whose fingerprint is unchanged keeps its hash, as git trusts its
index. A file modified within `RACY_SECONDS` of being hashed could change again
within the same mtime tick, so its fingerprint is not trusted (git's "racily
clean" rule). See docs/decisions/0007-repository-map-tag-cache.md.

A save after a small change (one file edited, one map rendered) does not
rewrite the whole file: it appends the change to a journal beside it, which
the next load replays. When the journal grows past a quarter of the cache, the
next save rewrites the cache whole (with a new generation) and drops the journal.
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

FORMAT_VERSION = 3
"""Bumped whenever the tags or the layout change: an older file is then ignored."""

RACY_SECONDS = 2.0

JOURNAL_MIN_BYTES = 256 * 1024
"""The journal may always grow this far before a save rewrites the cache whole."""

_LENGTH_BYTES = 4
_CHECK_BYTES = 8
"""Each journal record carries a digest: `marshal` alone takes some torn records whole
(an ASCII string's bytes are not checked), and a torn record must never be replayed."""


def _check(record: bytes) -> bytes:
    return hashlib.blake2b(record, digest_size=_CHECK_BYTES).digest()


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


def replace_quietly(path: Path, data: bytes, prefix: str) -> bool:
    """Replaces `path` with `data` by renaming a temporary file over it; False on any error.

    Not fsynced: a cache lost to a power cut only makes the next start slower.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temporary).replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        return False
    return True


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
    # Tags the last `prune` dropped, in memory only: a saved ranking graph (see
    # rank_snapshot) needs a changed file's previous tags to update itself.
    retired: dict[bytes, tuple[str, FileTags]] = field(default_factory=dict)
    # The generation of the cache file loaded or written; journal records name it,
    # so records meant for an older file (rewritten by another process) are ignored.
    generation: bytes | None = None
    _main_bytes: int = 0
    _journal_bytes: int = 0
    _delta: _Delta = field(default_factory=lambda: _Delta())

    @property
    def journal_path(self) -> Path:
        """The journal of changes since the cache file was last written whole."""
        return self.path.with_suffix(".journal")

    @classmethod
    def for_repository(cls, root: Path, cache_dir: Path | None = None) -> TagCache:
        """The cache of the repository at `root` (empty when there is none or it is unreadable)."""
        folder = cache_dir if cache_dir is not None else default_cache_dir()
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
        cache = cls(folder / f"{name}.marshal")
        cache.load()
        return cache

    def load(self) -> None:
        """Reads the cache file and replays its journal; a missing, corrupt or outdated
        file counts as empty, and the journal is read up to its first damaged record."""
        try:
            raw = self.path.read_bytes()
            data: Any = marshal.loads(raw)
        except (OSError, EOFError, ValueError, TypeError):
            return
        if (
            not isinstance(data, tuple)
            or len(data) != 6
            or data[0] != FORMAT_VERSION
            or data[1] != sys.version_info[:2]
        ):
            return
        self.generation, self.tags, self.known, self.results = data[2:]
        self._main_bytes = len(raw)
        try:
            journal = self.journal_path.read_bytes()
        except OSError:
            return
        offset = 0
        head = _LENGTH_BYTES + _CHECK_BYTES
        while offset + head <= len(journal):
            size = int.from_bytes(journal[offset : offset + _LENGTH_BYTES], "little")
            end = offset + head + size
            record = journal[offset + head : end]
            digest = journal[offset + _LENGTH_BYTES : offset + head]
            if end > len(journal) or _check(record) != digest or not self._replay(record):
                break
            offset = end
        self._journal_bytes = len(journal)

    def _replay(self, record: bytes) -> bool:
        try:
            entry: Any = marshal.loads(record)
            generation, added, removed, known, forgotten, results = entry
            if generation != self.generation:
                return True  # written against an older cache file: skip it
            self.tags.update(added)
            for digest in removed:
                self.tags.pop(digest, None)
            self.known.update(known)
            for rel in forgotten:
                self.known.pop(rel, None)
            for key, text in results:
                self._keep_result(key, text)
        except (EOFError, ValueError, TypeError, AttributeError):
            return False
        return True

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
            self._delta.known[rel] = (print_, digest)
            self._delta.forgotten.discard(rel)
            self.dirty = True

    def store(self, digest: bytes, language: str, tags: FileTags) -> None:
        """Keeps the tags of a content hash."""
        self.tags[digest] = (language, tags)
        self._delta.added[digest] = (language, tags)
        self._delta.removed.discard(digest)
        self.dirty = True

    def remember_result(self, key: str, text: str) -> None:
        """Keeps one rendered map (only the latest few are kept)."""
        if self.results.get(key) == text:
            return
        self._keep_result(key, text)
        self._delta.results.append((key, text))
        self.dirty = True

    def _keep_result(self, key: str, text: str) -> None:
        self.results.pop(key, None)
        self.results[key] = text
        while len(self.results) > 8:
            del self.results[next(iter(self.results))]

    def prune(self, live: set[str]) -> None:
        """Forgets paths not in `live` and tags no remaining path has."""
        for rel in [rel for rel in self.known if rel not in live]:
            del self.known[rel]
            self._delta.known.pop(rel, None)
            self._delta.forgotten.add(rel)
            self.dirty = True
        used = {digest for _, digest in self.known.values()}
        self.retired = {}
        for digest in [digest for digest in self.tags if digest not in used]:
            self.retired[digest] = self.tags.pop(digest)
            self._delta.added.pop(digest, None)
            self._delta.removed.add(digest)
            self.dirty = True

    def save(self) -> None:
        """Appends the changes to the journal, or writes the cache whole when it has grown.

        The whole file is written atomically (a temporary file renamed over the
        old one); a journal record is one `write` to a file opened for appending,
        and a reader stops at a torn one. A cache that cannot be written
        (read-only home, full disk) is silently skipped: the map is still right,
        only the next start is slower.
        """
        if not self.dirty:
            return
        if self.generation is not None and self._append():
            return
        generation = os.urandom(8)
        payload = marshal.dumps(
            (
                FORMAT_VERSION,
                sys.version_info[:2],
                generation,
                self.tags,
                self.known,
                self.results,
            )
        )
        if not replace_quietly(self.path, payload, ".tags-"):
            return
        with contextlib.suppress(OSError):
            self.journal_path.unlink()
        self.generation, self._main_bytes, self._journal_bytes = generation, len(payload), 0
        self._delta = _Delta()
        self.dirty = False

    def _append(self) -> bool:
        """Appends the changes since the last save as one journal record; False to write whole."""
        delta = self._delta
        record = marshal.dumps(
            (
                self.generation,
                delta.added,
                tuple(delta.removed),
                delta.known,
                tuple(delta.forgotten),
                tuple(delta.results),
            )
        )
        frame = len(record).to_bytes(_LENGTH_BYTES, "little") + _check(record) + record
        if self._journal_bytes + len(frame) > max(JOURNAL_MIN_BYTES, self._main_bytes // 4):
            return False
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(self.journal_path, flags, 0o600)
            try:
                written = os.write(fd, frame)
            finally:
                os.close(fd)
        except OSError:
            return False
        if written != len(frame):
            return False  # a short write leaves a torn record: the whole file supersedes it
        self._journal_bytes += len(frame)
        self._delta = _Delta()
        self.dirty = False
        return True


@dataclass
class _Delta:
    """What changed since the last save: the next journal record."""

    added: dict[bytes, tuple[str, FileTags]] = field(default_factory=dict)
    removed: set[bytes] = field(default_factory=set)
    known: dict[str, tuple[Fingerprint, bytes]] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)
    results: list[tuple[str, str]] = field(default_factory=list)
