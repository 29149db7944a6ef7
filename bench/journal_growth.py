"""Journal growth benchmark: 100 small edits to a 780 KB file, against whole-text journaling.

A session stages 100 `str_replace` edits (10 turns of 10 parallel calls) to one
780 KB module through the real SDK and the fake Messages API, then stops at the
step's review. The journal's size is compared with the baseline measured on the
same journal: its size if every `staged` event held the file's staged text and
base whole, as journals did before edits were journaled as deltas. The target
is a journal under 5 MB, and a resume that rebuilds exactly the staged text.

Usage: python bench/journal_growth.py [--lines N] [--edits N] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slowcode.engine.session.resume import resume_point
from slowcode.journal.log import read_events
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.many_edits import stage_many_edits

TARGET_BYTES = 5 * 1024 * 1024
MB = 1024 * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=15_600, help="about 50 bytes each")
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    server = FakeMessagesAPI()
    server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = make_repo(Path(folder) / "project", {"README.md": "# p\n"})
            with_identity(root)
            start = time.perf_counter()
            growth = asyncio.run(stage_many_edits(root, server, args.lines, args.edits))
            seconds = time.perf_counter() - start
            size = (root / "big.py").stat().st_size
            exact = resume_point("s", read_events(growth.folder)).staged["staged"] == {
                "big.py": growth.expected
            }
    finally:
        server.stop()
    ratio = growth.whole_text_bytes / growth.journal_bytes
    print(f"file: {size / MB:.2f} MB, {args.edits} edits, staged in {seconds:.1f} s")
    print(f"journal: {growth.journal_bytes / MB:.2f} MB (target < {TARGET_BYTES / MB:.0f} MB)")
    print(f"baseline, whole texts in every staged event: {growth.whole_text_bytes / MB:.1f} MB")
    print(f"ratio baseline / journal: {ratio:.0f}x")
    print(f"resume rebuilds the staged text exactly: {exact}")
    missed = growth.journal_bytes >= TARGET_BYTES or not exact
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
