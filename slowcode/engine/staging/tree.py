"""The step's staged edits: an in-memory overlay of the working tree.

The model reads and edits files through this overlay during one step. Nothing
here ever writes to disk; the review decides what is written (`engine.apply`).
For every file it touches, the overlay remembers the text the model first saw
(the base), so a later review and a three-way merge know what the edit was
made against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import ToolInputError
from slowcode.core.paths import ROOT_REL, PathPolicy

JOURNAL_VERSION = 1


class StagedTree:
    """The working tree as one step sees it: disk plus this step's staged edits.

    Every path goes through the path policy and the context policy, so a file
    the model may not see can neither be read nor staged.

    Args:
        root: The repository's working tree.
        paths: The path policy (escapes, `.git/`, symlinks, binary and large files).
        policy: The context policy (ignored, secret and excluded files).
    """

    def __init__(self, root: Path, paths: PathPolicy, policy: ContextPolicy) -> None:
        self.root = root.resolve()
        self.paths = paths
        self.policy = policy
        self._base: dict[str, str | None] = {}
        self._staged: dict[str, str] = {}
        # Each file's staged text as the journal last recorded it, for the next delta.
        self._journaled: dict[str, str] = {}

    def resolve(self, path: str, *, for_write: bool) -> tuple[Path, str]:
        """Checks `path` against both policies; returns its absolute and relative forms.

        Raises:
            ToolInputError: The path is refused by either policy.
        """
        absolute, rel = self.paths.resolve(path, for_write=for_write)
        reason = self.policy.refusal(rel)
        if reason is not None:
            raise ToolInputError(reason)
        return absolute, rel

    def read(self, path: str) -> str:
        """The file's text as this step sees it (staged if staged, else from disk).

        Raises:
            ToolInputError: The path is refused, missing, a folder, or not UTF-8 text.
        """
        rel = self.paths.normalise(path)
        if rel in self._staged:
            return self._staged[rel]
        absolute, rel = self.resolve(path, for_write=False)
        text = self._read_disk(absolute, rel)
        if text is None:
            raise ToolInputError(
                f"The file {rel} does not exist: view a folder (`.` is the top) to see "
                "which files there are, or create it with the create command."
            )
        self._base.setdefault(rel, text)
        return text

    def exists(self, path: str) -> bool:
        """True when `path` is a file in this step's view (staged or on disk)."""
        rel = self.paths.normalise(path)
        if rel in self._staged:
            return True
        return (self.root / rel).is_file() if rel != ROOT_REL else False

    def is_staged_folder(self, path: str) -> bool:
        """True when `path` is a folder that exists only because files were staged in it."""
        rel = self.paths.normalise(path)
        prefix = "" if rel == ROOT_REL else rel + "/"
        return any(staged.startswith(prefix) for staged in self._staged)

    def base_text(self, path: str) -> str | None:
        """The text the model first saw of this file in this step; None if it did not exist.

        For a file the step has not touched, the current disk text (not recorded).
        """
        rel = self.paths.normalise(path)
        if rel in self._base:
            return self._base[rel]
        absolute, rel = self.resolve(path, for_write=False)
        return self._read_disk(absolute, rel)

    def stage(self, path: str, new_text: str) -> str:
        """Stages `new_text` as the file's content; nothing is written.

        Returns:
            The normalised repository-relative path.

        Raises:
            ToolInputError: The path is refused, or the text is binary or too large.
        """
        absolute, rel = self.resolve(path, for_write=True)
        if "\x00" in new_text:
            raise ToolInputError(
                f"The new text for {rel} contains a NUL byte; binary files are refused."
            )
        try:
            size = len(new_text.encode("utf-8"))
        except UnicodeEncodeError:
            raise ToolInputError(f"The new text for {rel} is not valid Unicode text.") from None
        if size > self.paths.max_file_bytes:
            raise ToolInputError(
                f"The new text for {rel} is {size} bytes, over the "
                f"{self.paths.max_file_bytes}-byte limit."
            )
        if rel not in self._base:
            self._base[rel] = self._read_disk(absolute, rel)
        self._staged[rel] = new_text
        return rel

    def staged_paths(self) -> list[str]:
        """Every staged file, sorted."""
        return sorted(self._staged)

    def staged_text(self, path: str) -> str | None:
        """The staged text of a file, or None when it is not staged."""
        return self._staged.get(self.paths.normalise(path))

    def journaled_text(self, path: str) -> str | None:
        """The file's staged text as last journaled in this step (None: not yet)."""
        return self._journaled.get(self.paths.normalise(path))

    def mark_journaled(self, path: str) -> None:
        """Notes that the journal now holds the file's current staged text."""
        rel = self.paths.normalise(path)
        if rel in self._staged:
            self._journaled[rel] = self._staged[rel]

    def discard(self) -> None:
        """Forgets every staged edit and every recorded base."""
        self._base.clear()
        self._staged.clear()
        self._journaled.clear()

    def to_json(self) -> dict[str, Any]:
        """The overlay as JSON (bases and staged texts), for the session journal."""
        return {
            "version": JOURNAL_VERSION,
            "base": dict(sorted(self._base.items())),
            "staged": dict(sorted(self._staged.items())),
        }

    @classmethod
    def from_json(
        cls, data: dict[str, Any], root: Path, paths: PathPolicy, policy: ContextPolicy
    ) -> StagedTree:
        """Rebuilds an overlay saved by `to_json`; paths are checked again on the way in.

        Raises:
            ToolInputError: The data is malformed or holds a path the policy refuses.
        """
        if not isinstance(data, dict) or data.get("version") != JOURNAL_VERSION:
            raise ToolInputError("The staged edits cannot be restored: unknown format.")
        tree = cls(root, paths, policy)
        base = data.get("base", {})
        staged = data.get("staged", {})
        if not isinstance(base, dict) or not isinstance(staged, dict):
            raise ToolInputError("The staged edits cannot be restored: malformed data.")
        for path, text in base.items():
            if text is not None and not isinstance(text, str):
                raise ToolInputError(f"The staged edits cannot be restored: bad base for {path}.")
            tree._base[tree._restored_path(path)] = text
        for path, text in staged.items():
            if not isinstance(text, str):
                raise ToolInputError(f"The staged edits cannot be restored: bad text for {path}.")
            tree._staged[tree._restored_path(path)] = text
        # Restored from the journal, so the journal holds exactly these texts.
        tree._journaled = dict(tree._staged)
        return tree

    def _restored_path(self, path: object) -> str:
        rel = self.paths.normalise(str(path))
        reason = self.policy.refusal(rel)
        if reason is not None:
            raise ToolInputError(reason)
        return rel

    @staticmethod
    def _read_disk(absolute: Path, rel: str) -> str | None:
        """The file's UTF-8 text, line endings kept as they are; None when there is no file."""
        if rel == ROOT_REL or absolute.is_dir():
            raise ToolInputError(f"{rel} is a folder, not a file.")
        try:
            data = absolute.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            raise ToolInputError(f"{rel} cannot be read: {error.strerror}.") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise ToolInputError(
                f"{rel} is not UTF-8 text and cannot be viewed or edited."
            ) from None
