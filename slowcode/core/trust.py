"""Which project-provided check commands the developer trusts, kept in the user's data folder.

A `check_command` written in a repository's own files (`.slowcode.toml`,
`pyproject.toml`) came with the clone, so it runs only once the developer has
trusted that exact command for that repository, as direnv's `allow` does
(decision 0023). The store is one JSON file outside every repository:
``trusted-commands.json`` in the platform's user data folder, one entry per
repository and SHA-256 of the command. A changed command has another hash, so it
is asked about again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from slowcode.core.atomic import write_text_atomic
from slowcode.core.errors import ConfigError

STORE_NAME = "trusted-commands.json"


def default_store() -> Path:
    """The trust file in the platform's user data folder."""
    return platformdirs.user_data_path("slowcode") / STORE_NAME


def command_hash(command: str) -> str:
    """The SHA-256 of `command` (UTF-8), in hex: what a trust is keyed by."""
    return hashlib.sha256(command.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class TrustedCommand:
    """One trusted command: for which repository, its hash, the command, where it was read."""

    repository: str
    sha256: str
    command: str
    source: str
    trusted_at: str


class TrustStore:
    """The trusted commands of this user.

    Args:
        path: The JSON file (default: `default_store()`).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_store()

    def entries(self) -> list[TrustedCommand]:
        """Every trusted command, in the order they were trusted.

        Raises:
            ConfigError: The file exists but is not a trust file.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise ConfigError(f"{self.path}: cannot be read ({error.strerror})") from error
        try:
            raw = json.loads(text)
            return [TrustedCommand(**entry) for entry in raw["trusted"]]
        except (ValueError, KeyError, TypeError) as error:
            raise ConfigError(f"{self.path}: not a list of trusted commands") from error

    def is_trusted(self, repository: Path, command: str) -> bool:
        """Whether `command` is trusted for `repository` (as it reads now)."""
        key = (_repository_key(repository), command_hash(command))
        return any((entry.repository, entry.sha256) == key for entry in self.entries())

    def trust(self, repository: Path, command: str, source: str) -> TrustedCommand:
        """Remembers that `command`, read from `source`, is trusted for `repository`."""
        entry = TrustedCommand(
            repository=_repository_key(repository),
            sha256=command_hash(command),
            command=command,
            source=source,
            trusted_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        kept = [
            each
            for each in self.entries()
            if (each.repository, each.sha256) != (entry.repository, entry.sha256)
        ]
        self._save([*kept, entry])
        return entry

    def revoke(self, *, repository: Path | None = None, prefix: str = "") -> list[TrustedCommand]:
        """Forgets the entries of `repository` and/or whose hash starts with `prefix`.

        Returns:
            The entries forgotten.
        """
        key = None if repository is None else _repository_key(repository)

        def matches(entry: TrustedCommand) -> bool:
            return (key is None or entry.repository == key) and entry.sha256.startswith(prefix)

        entries = self.entries()
        gone = [entry for entry in entries if matches(entry)]
        if gone:
            self._save([entry for entry in entries if not matches(entry)])
        return gone

    def _save(self, entries: list[TrustedCommand]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"trusted": [asdict(entry) for entry in entries]}
        write_text_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _repository_key(repository: Path) -> str:
    return str(repository.resolve())
