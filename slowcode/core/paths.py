"""Which paths the model may read and write: the one gate every file tool goes through.

The model names files as repository-relative paths (`src/a.py`, `./src/a.py`).
Everything it sends is untrusted, so a path is refused when it could reach
outside the working tree, into `.git/`, or into something that is not a plain
text file.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from slowcode.core.errors import ToolInputError

SLOWCODE_DIR = ".slowcode"
"""slowcode's own folder (journals, locks, caches): never read or written by the model."""
_SLOWCODE_REFUSAL = (
    "The path {path} is inside .slowcode/, slowcode's own session data, which the model "
    "never reads or writes."
)

DEFAULT_MAX_FILE_BYTES = 1024 * 1024
"""Files larger than this are neither read into the model's context nor edited."""

BINARY_SNIFF_BYTES = 8192
"""How much of a file is checked for a NUL byte, as git does to call a file binary."""

ROOT_REL = "."
"""The repository-relative path of the repository root itself."""

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_binary_bytes(data: bytes) -> bool:
    """True when `data` looks binary: a NUL byte within its first 8 KiB."""
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


class PathPolicy:
    """Validates and resolves the paths the model gives, relative to one repository.

    Args:
        root: The repository's working tree; resolved once here.
        max_file_bytes: Larger files are refused for reading and writing.
    """

    def __init__(self, root: Path, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> None:
        self.root = root.resolve()
        self.max_file_bytes = max_file_bytes

    def normalise(self, path: str) -> str:
        """Returns the repository-relative POSIX form of `path`, checking only its text.

        Raises:
            ToolInputError: The path is empty, absolute, contains `..` or names `.git`.
        """
        if not isinstance(path, str) or not path.strip():
            raise ToolInputError("The path is empty; give a path relative to the repository root.")
        text = path.strip()
        if "\x00" in text:
            raise ToolInputError("The path contains a NUL character.")
        if text.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(text):
            raise ToolInputError(
                f"The path {text!r} is absolute; give it relative to the repository root "
                "(for example src/app.py)."
            )
        if text.startswith("~"):
            raise ToolInputError(
                f"The path {text!r} starts with '~'; give it relative to the repository root."
            )
        parts = [part for part in text.replace("\\", "/").split("/") if part not in ("", ".")]
        if ".." in parts:
            raise ToolInputError(
                f"The path {text!r} contains '..'; give a path inside the repository, "
                "relative to its root."
            )
        if any(part.casefold() == ".git" for part in parts):
            raise ToolInputError(f"The path {text!r} is inside .git/, which is never touched.")
        if parts and parts[0].casefold() == SLOWCODE_DIR:
            raise ToolInputError(_SLOWCODE_REFUSAL.format(path=repr(text)))
        return str(PurePosixPath(*parts)) if parts else ROOT_REL

    def resolve(self, path: str, *, for_write: bool) -> tuple[Path, str]:
        """Checks `path` against the policy and the disk.

        A path that does not exist yet is accepted (the caller decides whether a
        missing file is an error); for writing, its nearest existing parent must
        be a folder.

        Args:
            path: The path as the model gave it.
            for_write: True when the file is going to be created or edited.

        Returns:
            The absolute path (inside the root, not following a final symlink) and
            the normalised repository-relative POSIX path (`.` for the root).

        Raises:
            ToolInputError: One sentence saying why the path is refused.
        """
        rel = self.normalise(path)
        absolute = self.root if rel == ROOT_REL else self.root.joinpath(*rel.split("/"))
        self._check_stays_inside(absolute, rel)
        if for_write:
            self._check_no_linked_folder(rel)
        try:
            info = absolute.lstat()
        except (FileNotFoundError, NotADirectoryError):
            if for_write:
                self._check_parent_is_folder(absolute, rel)
            return absolute, rel
        except OSError as error:
            raise ToolInputError(f"{rel} cannot be inspected: {error.strerror}.") from None
        if stat.S_ISLNK(info.st_mode):
            if for_write:
                raise ToolInputError(
                    f"{rel} is a symbolic link; edit the file it points to instead."
                )
            try:
                info = absolute.stat()
            except OSError:
                raise ToolInputError(f"{rel} is a broken symbolic link.") from None
        if stat.S_ISDIR(info.st_mode):
            if for_write:
                raise ToolInputError(f"{rel} is a folder, not a file.")
            return absolute, rel
        if not stat.S_ISREG(info.st_mode):
            raise ToolInputError(
                f"{rel} is not a regular file (a device, FIFO or socket) and is never opened."
            )
        if info.st_size > self.max_file_bytes:
            raise ToolInputError(
                f"{rel} is {info.st_size} bytes, over the {self.max_file_bytes}-byte limit "
                "for files the model reads or edits."
            )
        if self._looks_binary(absolute):
            raise ToolInputError(
                f"{rel} is a binary file; only text files can be viewed or edited."
            )
        return absolute, rel

    def _check_stays_inside(self, absolute: Path, rel: str) -> None:
        # resolve() follows every symlink, in the file and in its parents, so a
        # link anywhere on the way that leaves the repository (or enters .git)
        # shows up here.
        try:
            real = absolute.resolve()
        except (OSError, RuntimeError):
            raise ToolInputError(f"{rel} cannot be resolved (a symbolic link loop?).") from None
        if not real.is_relative_to(self.root):
            raise ToolInputError(
                f"{rel} leads outside the repository through a symbolic link and is refused."
            )
        inside = real.relative_to(self.root).parts
        if any(part.casefold() == ".git" for part in inside):
            raise ToolInputError(f"{rel} leads into .git/ through a symbolic link and is refused.")
        if inside and inside[0].casefold() == SLOWCODE_DIR:
            raise ToolInputError(_SLOWCODE_REFUSAL.format(path=rel))
        self._check_not_in_submodule(real, rel)

    def _check_not_in_submodule(self, real: Path, rel: str) -> None:
        # A folder with its own `.git` (a submodule, a nested repository) belongs to
        # another repository: the step's commit could not hold a file inside it.
        folder = real.parent
        while folder != self.root and folder.is_relative_to(self.root):
            if (folder / ".git").exists():
                inner = folder.relative_to(self.root).as_posix()
                raise ToolInputError(
                    f"{rel} is inside {inner}/, a git submodule or nested repository, "
                    "which slowcode never touches."
                )
            folder = folder.parent

    def _check_no_linked_folder(self, rel: str) -> None:
        # Even a link that stays inside the repository is refused on the way to a
        # write: git cannot commit a path "beyond a symbolic link", so the step
        # would be written and then fail to commit.
        parts = rel.split("/")[:-1]
        folder = self.root
        for index, part in enumerate(parts):
            folder = folder / part
            if folder.is_symlink():
                link = "/".join(parts[: index + 1])
                raise ToolInputError(
                    f"{rel} goes through the symbolic link {link}; "
                    "name the file by its real path instead."
                )

    def _check_parent_is_folder(self, absolute: Path, rel: str) -> None:
        parent = absolute.parent
        while parent != self.root and not os.path.lexists(parent):
            parent = parent.parent
        if not parent.is_dir():
            raise ToolInputError(
                f"{rel} cannot be created: {parent.relative_to(self.root).as_posix()} is a file."
            )

    @staticmethod
    def _looks_binary(absolute: Path) -> bool:
        try:
            with absolute.open("rb") as handle:
                return is_binary_bytes(handle.read(BINARY_SNIFF_BYTES))
        except OSError as error:
            raise ToolInputError(f"{absolute.name} cannot be read: {error.strerror}.") from None
