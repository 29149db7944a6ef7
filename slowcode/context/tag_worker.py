"""Reads, hashes and parses source files: in this process, or as a worker process.

A cold build starts `python -m slowcode.context.tag_worker` once per core and
hands each a share of the files over stdin (all three streams carry `marshal`
data). Plain subprocesses rather than `multiprocessing`: forking a process that
runs an event loop and threads is unsafe, and `spawn`/`forkserver` re-import the
caller's main script, which a script without a `__main__` guard cannot survive.
"""

from __future__ import annotations

import marshal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from slowcode.context.tag_cache import Fingerprint, content_hash, fingerprint
from slowcode.context.tags import FileTags, extract_tags

Parsed = tuple[str, Fingerprint, int, bytes, str, FileTags | None]
"""The answer for one file: path, fingerprint, when it was read, hash, grammar, tags
(None when the hash was already known, so the file was not parsed)."""


def parse_files(
    root: str, jobs: Sequence[tuple[str, str]], known: frozenset[bytes]
) -> list[Parsed]:
    """Reads, hashes and (unless the hash is in `known`) parses each file.

    Args:
        root: The working tree.
        jobs: (repository-relative path, grammar name) pairs.
        known: Hashes whose tags the caller already has.

    Returns:
        One answer per readable file, in the order of `jobs`.
    """
    results: list[Parsed] = []
    for rel, language in jobs:
        path = Path(root, rel)
        hashed_ns = time.time_ns()
        try:
            stat = path.stat()
            data = path.read_bytes()
        except OSError:
            continue
        digest = content_hash(data)
        tags = None if digest in known else extract_tags(data, language)
        results.append((rel, fingerprint(stat), hashed_ns, digest, language, tags))
    return results


def main() -> None:
    """Worker entry point: (root, jobs, known) on stdin, the answers on stdout."""
    root, jobs, known = marshal.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(marshal.dumps(parse_files(root, jobs, frozenset(known))))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
