"""What a session shows the model of the project: one repository map for the whole session.

The map is rendered once, leaning towards the task, when the session's first
request is made, and every later request sends the same bytes, so its cache
entry is written once (decision 0018). What the session itself changes is told
to the model in the conversation (each step's result and the progress summary
name the files written), not by re-rendering the map. The developer can ask for
a fresh map (`refresh_map`); it is then rendered again for the next request.

The map is kept in the session's folder, so a resumed session sends the map it
sent before, not one of the repository as its own steps left it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.context.repomap import RepoMap
from slowcode.context.system_prompt import system_blocks
from slowcode.context.tokens import ESTIMATE, ApiTokenCounter, TokenCounter
from slowcode.core.atomic import write_text_atomic
from slowcode.model.cache_breakpoints import DEFAULT_TTL
from slowcode.model.settings import ModelSettings

MAP_FILE = "map.md"
"""The session's repository map, in its session folder."""


def token_counter(settings: ModelSettings | None) -> TokenCounter:
    """The API's `count_tokens` when a model is configured, else the offline estimate.

    Bedrock and Vertex AI are measured by the estimate: the counter speaks only the
    first-party API, and the map's text must never go anywhere but the chosen provider.
    `slowcode map` measures with it; a session fills its map by the estimate alone
    (see `SessionContext`).
    """
    if settings is not None and settings.configured and settings.provider == "anthropic":
        return ApiTokenCounter(settings)
    return ESTIMATE


class SessionContext:
    """Builds the system blocks of a session's requests.

    The map is filled by the offline token estimate, which leans high against
    Claude's tokenizer: the map stays within its budget, and no `count_tokens`
    request is made for it (the budget is a size to aim at, not a hard limit
    the API enforces).

    Args:
        root: The repository's working tree.
        policy: The context policy (excluded files are never mapped or read).
        budget: The map's token budget (`context_tokens`).
        settings: The model settings (unused; kept for callers that pass them).
        cache_dir: Where the tag cache lives (default: the user cache folder).
        ttl: The prompt cache's lifetime for the system breakpoints.
    """

    def __init__(
        self,
        root: Path,
        policy: ContextPolicy,
        budget: int,
        settings: ModelSettings | None = None,
        *,
        cache_dir: Path | None = None,
        ttl: str = DEFAULT_TTL,
    ) -> None:
        self.root = root
        self.policy = policy
        self.budget = budget
        self.ttl = ttl
        self.counter: TokenCounter = ESTIMATE
        self.repo_map = RepoMap(root, policy, cache_dir=cache_dir)
        self._map: str | None = None
        self._map_file: Path | None = None
        self._blocks: list[dict[str, Any]] = []
        self._blocks_for: tuple[str, str] | None = None

    def keep_in(self, folder: Path) -> None:
        """Keeps the session's map in `folder` (its session folder); reads it if it is there."""
        self._map_file = folder / MAP_FILE
        self._map = None
        try:
            self._map = self._map_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            # Not there yet (a new session), or unreadable: rendered at the next request.
            self._map = None

    def refresh_map(self) -> None:
        """Renders the map again for the next request (the developer asked for it)."""
        self._map = None

    def shrink_map(self, budget: int) -> None:
        """Renders the map within `budget` tokens from the next request on (and keeps it so)."""
        self.budget = budget
        self._map = None

    def map_text(self, query: str) -> str:
        """The session's repository map (rendered for `query` the first time)."""
        if self._map is None:
            self.repo_map.refresh()
            self._map = self.repo_map.render(self.budget, query, self.counter)
            if self._map_file is not None:
                # Unwritable: a resume renders a new map (one cache write), nothing is lost.
                with contextlib.suppress(OSError):
                    write_text_atomic(self._map_file, self._map)
        return self._map

    def system(self, query: str, decision_summary: str) -> list[dict[str, Any]]:
        """The system blocks of the next request; `query` is used when the map is rendered."""
        repo_map = self.map_text(query)
        if self._blocks_for != (repo_map, decision_summary):
            self._blocks = system_blocks(
                self.root, self.policy, decision_summary, repo_map, self.ttl
            )
            self._blocks_for = (repo_map, decision_summary)
        return self._blocks
