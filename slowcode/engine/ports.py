"""What the step helpers may use of the session that runs them.

`Workflow` owns a session's parts; the helpers that answer the model's tools
(`StepFlow`, `StepApplier`, `ToolDispatcher`) see it only through these
protocols, so they depend on what they use, not on the class that drives the
conversation, and no import runs back up to it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Protocol

from slowcode.context.policy import ContextPolicy
from slowcode.core.config import Config
from slowcode.core.paths import PathPolicy
from slowcode.decisions.store import DecisionStore
from slowcode.engine.human import HumanPort
from slowcode.engine.progress import ProgressSink
from slowcode.engine.session.lifecycle import Session
from slowcode.engine.staging.editor_tool import ToolOutcome
from slowcode.engine.staging.tree import StagedTree
from slowcode.git.repo import GitRepo
from slowcode.journal.log import Journal
from slowcode.journal.schema import JournalEvent
from slowcode.model.client import ModelClient
from slowcode.model.settings import ModelSettings


class SessionPorts(Protocol):
    """The session's parts a step helper reads, and the three things it may do to it."""

    @property
    def root(self) -> Path:
        """The work tree's top folder."""

    @property
    def repo(self) -> GitRepo:
        """The repository."""

    @property
    def config(self) -> Config:
        """The loaded configuration."""

    @property
    def settings(self) -> ModelSettings:
        """How the model is reached."""

    @property
    def client(self) -> ModelClient:
        """The model client ("why?" questions use it too)."""

    @property
    def human(self) -> HumanPort:
        """The developer."""

    @property
    def emit(self) -> ProgressSink:
        """Where progress events go."""

    @property
    def paths(self) -> PathPolicy:
        """Which paths the model may name."""

    @property
    def policy(self) -> ContextPolicy:
        """Which files the model may read."""

    @property
    def decisions(self) -> DecisionStore:
        """The decision log."""

    @property
    def journal(self) -> Journal | None:
        """The session's journal (None before the session starts)."""

    @property
    def session(self) -> Session:
        """The session's state."""

    @property
    def tree(self) -> StagedTree:
        """The staged, not yet applied, changes."""

    @property
    def today(self) -> dt.date | None:
        """The date decision records get (None: today)."""

    def record(self, event: JournalEvent, *, sync: bool = False) -> None:
        """Journals an event."""

    def mark_protocol_break(self) -> None:
        """Counts the current model turn as breaking the protocol."""

    def discard_staged(self) -> None:
        """Drops every staged change."""


class StepTools(Protocol):
    """The tools that wait for the developer."""

    async def propose_plan(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Answers `propose_plan`."""

    async def ask_human(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Answers `ask_human`."""

    async def finish_step(self, tool_input: dict[str, Any]) -> ToolOutcome:
        """Answers `finish_step`."""


class ToolPorts(SessionPorts, Protocol):
    """What the tool dispatcher uses: the session's parts and the step tools."""

    @property
    def steps(self) -> StepTools:
        """The tools that wait for the developer."""
