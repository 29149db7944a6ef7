"""The architectural detector: deterministic rules that flag a step as architectural.

A step is flagged when it

- adds or removes a dependency in a manifest (pyproject.toml, requirements*.txt,
  package.json, Cargo.toml, go.mod, Gemfile, pom.xml, build.gradle*);
- adds a new top-level directory or module, or a new package (a folder with a new
  `__init__.py`), or deletes a module;
- changes or removes a public function or class signature (tree-sitter: Python
  names without a leading `_`, exported names in JavaScript / TypeScript, Go, Rust);
- touches a schema or migration, CI configuration, or a container file.

Each rule gives one human-readable reason per finding; the review shows them. The
detector reads only the step's texts and whether a path existed before the step,
so the same step always gives the same reasons.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slowcode.decisions import manifests
from slowcode.decisions.signatures import public_signatures

if TYPE_CHECKING:
    from slowcode.core.step_review import FileDiff

# Files that are code: a new one at the top level is a new module.
MODULE_SUFFIXES = frozenset(
    {
        ".py",
        ".pyi",
        ".js",
        ".jsx",
        ".mjs",
        ".cjs",
        ".ts",
        ".tsx",
        ".mts",
        ".cts",
        ".go",
        ".rs",
        ".rb",
        ".java",
        ".kt",
        ".kts",
        ".scala",
        ".swift",
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".hpp",
        ".cs",
        ".php",
        ".ex",
        ".exs",
        ".erl",
        ".hs",
        ".ml",
        ".lua",
        ".dart",
        ".zig",
    }
)
MIGRATION_FOLDERS = frozenset({"migrations", "migration", "migrate", "alembic", "flyway"})
SCHEMA_GLOBS = ("schema.*", "structure.sql", "*.prisma", "*.graphql", "*.gql", "*.proto", "*.avsc")
SCHEMA_FOLDERS = frozenset({"schema", "schemas"})
CI_GLOBS = (
    ".github/workflows/*",
    ".gitlab-ci.yml",
    ".gitlab-ci.yaml",
    ".circleci/*",
    ".travis.yml",
    "Jenkinsfile",
    "azure-pipelines.yml",
    "azure-pipelines.yaml",
    "bitbucket-pipelines.yml",
    ".buildkite/*",
    ".drone.yml",
    ".woodpecker.yml",
    ".woodpecker/*",
)
CONTAINER_GLOBS = (
    "Dockerfile",
    "Dockerfile.*",
    "*.dockerfile",
    "Containerfile",
    "Containerfile.*",
    "docker-compose*.yml",
    "docker-compose*.yaml",
    "compose.yml",
    "compose.yaml",
    ".dockerignore",
)


@dataclass(frozen=True)
class FileChange:
    """One file of a step: its text before (None: created) and after (None: deleted)."""

    path: str
    old_text: str | None
    new_text: str | None


def changes_from_diffs(files: Iterable[FileDiff]) -> list[FileChange]:
    """The detector's view of a step's `FileDiff`s."""
    return [FileChange(f.path, f.old_text, f.new_text) for f in files]


def existed_in(root: Path) -> Callable[[str], bool]:
    """`exists(path)` for a work tree the step has not been written to yet."""
    return lambda path: (root / path).exists()


def detect(changes: Iterable[FileChange], existed: Callable[[str], bool]) -> list[str]:
    """Why a step is architectural: one reason per finding, none when it is not.

    Args:
        changes: The step's files.
        existed: Whether a repository-relative path (file or folder) existed before
            the step; used to tell a new top-level folder or package from an old one.
    """
    changes = sorted(changes, key=lambda change: change.path)
    reasons: list[str] = []
    for change in changes:
        reasons += _dependency_reasons(change)
    reasons += _structure_reasons(changes, existed)
    for change in changes:
        reasons += _signature_reasons(change)
        reason = _touched_file_reason(change.path)
        if reason:
            reasons.append(reason)
    return reasons


def _dependency_reasons(change: FileChange) -> list[str]:
    name = posixpath.basename(change.path)
    reader = manifests.reader_for(name)
    if reader is None:
        return []
    before = reader(change.old_text) if change.old_text else set()
    after = reader(change.new_text) if change.new_text else set()
    added = [f"adds dependency `{n}` to {change.path}" for n in sorted(after - before)]
    removed = [f"removes dependency `{n}` from {change.path}" for n in sorted(before - after)]
    return added + removed


def _is_module(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in MODULE_SUFFIXES


def _structure_reasons(changes: list[FileChange], existed: Callable[[str], bool]) -> list[str]:
    reasons: list[str] = []
    new_tops: set[str] = set()
    new_packages: set[str] = set()
    for change in changes:
        path = change.path
        if change.new_text is None:
            if _is_module(path):
                reasons.append(f"deletes the module {path}")
            continue
        if change.old_text is not None:
            continue
        top = path.split("/", 1)[0]
        if "/" in path and top not in new_tops and not existed(top):
            new_tops.add(top)
            reasons.append(f"adds the top-level directory {top}/")
        elif "/" not in path and _is_module(path):
            reasons.append(f"adds the top-level module {path}")
        folder = posixpath.dirname(path)
        is_init = posixpath.basename(path) == "__init__.py"
        if is_init and folder and folder not in new_packages and not existed(folder):
            new_packages.add(folder)
            reasons.append(f"adds the package {folder.replace('/', '.')}")
    return reasons


def _signature_reasons(change: FileChange) -> list[str]:
    if change.old_text is None or change.new_text is None:
        return []
    before = public_signatures(change.path, change.old_text)
    if not before:
        return []
    after = public_signatures(change.path, change.new_text)
    reasons = []
    for name, signature in before.items():
        if name not in after:
            reasons.append(f"removes the public `{name}` from {change.path}")
        elif after[name] != signature:
            reasons.append(f"changes the signature of the public `{name}` in {change.path}")
    return reasons


def _matches(path: str, globs: Iterable[str]) -> bool:
    name = posixpath.basename(path)
    return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def _touched_file_reason(path: str) -> str | None:
    folders = set(path.split("/")[:-1])
    if folders & MIGRATION_FOLDERS:
        return f"touches the migration {path}"
    if folders & SCHEMA_FOLDERS or _matches(path, SCHEMA_GLOBS):
        return f"touches the schema {path}"
    if _matches(path, CI_GLOBS):
        return f"touches the CI configuration {path}"
    if _matches(path, CONTAINER_GLOBS):
        return f"touches the container file {path}"
    return None
