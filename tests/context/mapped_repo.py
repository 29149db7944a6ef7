"""A generated code base big enough to overflow a map's budget, in a real git repository."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.context.repos import make_repo


def module_source(index: int, count: int) -> str:
    """Module `index`: a class and functions that call into two other modules."""
    first, second = (index * 7 + 3) % count, (index * 3 + 1) % count
    return (
        f"from pkg.mod_{first:03d} import compute_total_{first:03d}\n\n\n"
        f"class Account{index:03d}:\n"
        f'    """Account number {index}."""\n\n'
        f"    def balance_{index:03d}(self, amount: int) -> int:\n"
        f"        return compute_total_{first:03d}(amount) + helper_{second:03d}(amount)\n\n"
        f"    def close_{index:03d}(self) -> None:\n"
        f"        self.balance_{index:03d}(0)\n\n\n"
        f"def compute_total_{index:03d}(amount: int, *, rate: float = 0.{index % 10}) -> int:\n"
        f"    return helper_{index:03d}(amount)\n\n\n"
        f"def helper_{index:03d}(value: int) -> int:\n"
        f"    return value * {index}\n"
    )


def make_mapped_repo(root: Path, count: int = 60, extra: dict[str, str] | None = None) -> Path:
    """A repository of `count` Python modules under `pkg/`, plus `extra` files, committed."""
    files: dict[str, str | bytes] = {
        f"pkg/mod_{index:03d}.py": module_source(index, count) for index in range(count)
    }
    files.update(extra or {})
    repo = make_repo(root, files)
    age(repo)
    return repo


def age(root: Path, seconds: float = 60.0) -> None:
    """Backdates every file, so the tag cache trusts their fingerprints (none is "racy")."""
    past = time.time() - seconds
    for folder, dirs, names in os.walk(root):
        dirs[:] = [name for name in dirs if name != ".git"]
        for name in names:
            os.utime(Path(folder, name), (past, past))


def backdate(path: Path, seconds: float) -> None:
    """Sets one file's modification time `seconds` into the past."""
    past = time.time() - seconds
    os.utime(path, (past, past))
