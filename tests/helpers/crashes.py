"""A process dying at a chosen instant of a session, for the resume and recovery tests."""

from __future__ import annotations

from collections.abc import Callable

from slowcode.engine.session.workflow import Workflow
from slowcode.journal.schema import JournalEvent


class Crash(BaseException):
    """Stands for the process dying at this instant."""


def crash_after(workflow: Workflow, journaled: Callable[[JournalEvent], bool]) -> None:
    """Makes `workflow` die (raise `Crash`) right after journaling an event `journaled` picks."""
    original = workflow.record

    def dies(event: JournalEvent, *, sync: bool = False) -> None:
        original(event, sync=sync)
        if journaled(event):
            raise Crash

    workflow.record = dies  # type: ignore[method-assign]
