"""What a session shows the model of the project, rebuilt only when it should change.

The repository map leans towards the task and the current step, so it is
rebuilt when a step starts (a refresh re-parses only files whose content
changed); within a step every request sends the same blocks, which keeps the
prompt cache warm.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.context.repomap import RepoMap
from slowcode.context.system_prompt import system_blocks
from slowcode.context.tokens import ESTIMATE, ApiTokenCounter, TokenCounter
from slowcode.model.settings import ModelSettings


def token_counter(settings: ModelSettings | None) -> TokenCounter:
    """The API's `count_tokens` when a model is configured, else the offline estimate.

    Bedrock and Vertex AI are measured by the estimate: the counter speaks only the
    first-party API, and the map's text must never go anywhere but the chosen provider.
    """
    if settings is not None and settings.configured and settings.provider == "anthropic":
        return ApiTokenCounter(settings)
    return ESTIMATE


def map_query(task: str, step_title: str | None) -> str:
    """The text the map leans towards: the task, and the step being worked on."""
    return task if not step_title else f"{task}\n{step_title}"


class SessionContext:
    """Builds the system blocks of a session's requests.

    Args:
        root: The repository's working tree.
        policy: The context policy (excluded files are never mapped or read).
        budget: The map's token budget (`context_tokens`).
        settings: The model settings (decide the token counter).
        cache_dir: Where the tag cache lives (default: the user cache folder).
    """

    def __init__(
        self,
        root: Path,
        policy: ContextPolicy,
        budget: int,
        settings: ModelSettings | None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self.root = root
        self.policy = policy
        self.budget = budget
        self.counter = token_counter(settings)
        self.repo_map = RepoMap(root, policy, cache_dir=cache_dir)
        self._map_for: str | None = None
        self._map = ""
        self._blocks: list[dict[str, Any]] = []
        self._blocks_for: tuple[str, str] | None = None

    def map_text(self, query: str) -> str:
        """The repository map for `query` (refreshed when the query changes)."""
        if query != self._map_for:
            self.repo_map.refresh()
            self._map = self.repo_map.render(self.budget, query, self.counter)
            self._map_for = query
        return self._map

    def system(self, query: str, decision_summary: str) -> list[dict[str, Any]]:
        """The system blocks for a request made while working on `query`."""
        repo_map = self.map_text(query)
        if self._blocks_for != (query, decision_summary):
            self._blocks = system_blocks(self.root, self.policy, decision_summary, repo_map)
            self._blocks_for = (query, decision_summary)
        return self._blocks
