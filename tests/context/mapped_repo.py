"""A generated code base big enough to overflow a map's budget, in a real git repository."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from slowcode.context.policy import ContextPolicy
from slowcode.context.repomap import RepoMap
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


MAP_SCRIPT = """
import sys
from pathlib import Path
from slowcode.context.policy import ContextPolicy
from slowcode.context.repomap import RepoMap
root, cache = Path(sys.argv[1]), Path(sys.argv[2])
repo_map = RepoMap(root, ContextPolicy(root), cache_dir=cache)
repo_map.refresh()
sys.stdout.write(repo_map.render(int(sys.argv[3]), sys.argv[4]))
"""


def map_in_new_process(repo: Path, cache: Path, budget: int, query: str, seed: str) -> bytes:
    """The map of `repo` rendered by a new Python process with the given hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", MAP_SCRIPT, str(repo), str(cache), str(budget), query],
        capture_output=True,
        check=True,
        env=env,
    )
    return done.stdout


QUERY = "Make compute_total_007 round the amount in pkg/mod_012.py"

EDITS = [
    # A body changes: same names, same references.
    ("pkg/mod_010.py", "def helper_010(value: int) -> int:\n    return value + 10\n"),
    # A definition nothing uses yet is added.
    (
        "pkg/mod_011.py",
        "def helper_011(value: int) -> int:\n    return value\n\n\ndef unused_one():\n"
        "    return 1\n",
    ),
    # References change: the file now calls into three other modules.
    (
        "pkg/mod_012.py",
        "def helper_012(value: int) -> int:\n"
        "    return compute_total_001(value) + compute_total_002(value) + helper_003(value)\n",
    ),
    # A widely used definition disappears from its only definer.
    ("pkg/mod_001.py", "def unrelated_name_001():\n    return 0\n"),
    # And comes back in another file, next to a new reference.
    (
        "pkg/mod_020.py",
        "def compute_total_001(amount: int) -> int:\n    return helper_005(amount)\n",
    ),
]


def fresh_map(repo: Path, cache: Path, budget: int, query: str) -> str:
    """The map of `repo` built from nothing, rendered for `query`."""
    repo_map = RepoMap(repo, ContextPolicy(repo), cache_dir=cache)
    repo_map.refresh()
    return repo_map.render(budget, query)
