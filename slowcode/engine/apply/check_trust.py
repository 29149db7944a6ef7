"""Whether the configured check may run: a command from the repository's own files asks first.

A `check_command` read from `.slowcode.toml` or `pyproject.toml` came with the
repository, so it runs only once the developer has trusted that exact command
for that repository (`slowcode.core.trust`). The developer is asked the first
time it would run; the default is not to run it, and a "no" holds for the rest
of the session. A command from the developer's own configuration is trusted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from slowcode.core.config import Config
from slowcode.core.errors import ConfigError
from slowcode.core.trust import TrustStore


@runtime_checkable
class TrustAsker(Protocol):
    """A developer who can be asked whether to trust a project's check command."""

    async def trust_check(self, command: str, source: str) -> bool:
        """Shows `command` and the file it came from; True when the developer trusts it."""
        ...


class CheckGate:
    """Decides, once per session and command, whether the configured check runs.

    Args:
        root: The repository.
        config: The session's configuration (its check command and where it came from).
        human: The developer; one who cannot be asked (a replay, a script) trusts nothing new.
        store: The user's trusted commands (default: the user data folder's).
    """

    def __init__(
        self, root: Path, config: Config, human: object, store: TrustStore | None = None
    ) -> None:
        self._root = root
        self._config = config
        self._human = human
        self._store = store or TrustStore()
        self._declined: set[str] = set()
        self.problem = ""
        """Why the trust file could not be used, when it could not ("" otherwise)."""

    async def allowed(self, command: str) -> bool:
        """Whether `command` may run now; asks the developer when it is new to them."""
        source = self._config.check_command_source
        if source is None:
            return True
        try:
            if self._store.is_trusted(self._root, command):
                return True
        except ConfigError as error:
            self.problem = str(error)
            return False
        if command in self._declined or not isinstance(self._human, TrustAsker):
            return False
        if not await self._human.trust_check(command, source):
            self._declined.add(command)
            return False
        try:
            self._store.trust(self._root, command, source)
        except (ConfigError, OSError) as error:
            # Trusted for this run all the same; it will be asked again next time.
            self.problem = f"the trust could not be saved: {error}"
        return True
