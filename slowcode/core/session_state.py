"""Where a session stands, on its own: the TUI shows it from the first frame, before
the engine is loaded."""

from __future__ import annotations

from enum import StrEnum


class SessionState(StrEnum):
    """Where a session stands; `engine.session.Session` owns the transitions."""

    IDLE = "idle"
    PLANNING = "planning"
    PLAN_REVIEW = "plan_review"
    STEP_WORKING = "step_working"
    ASKING = "asking"
    STEP_REVIEW = "step_review"
    APPLYING = "applying"
    FAILED = "failed"
    DONE = "done"
