"""Applying a reviewed step: accepted hunks to disk, the decision record, one commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from slowcode.decisions.record import DecisionRecord, DecisionStatus
from slowcode.decisions.store import DecisionStore
from slowcode.engine.apply import apply_step
from slowcode.engine.gitrepo import GitRepo
from slowcode.engine.review import StepReview

Recorder = Callable[[str, dict[str, object]], None]


@dataclass(frozen=True)
class AppliedStep:
    """What applying a step wrote and committed (commit None when nothing was accepted)."""

    commit: str | None
    written: list[str]
    decision_path: str | None


@dataclass(frozen=True)
class StepCommitter:
    """Writes reviewed steps and commits them with slowcode's trailers."""

    repo: GitRepo
    decisions: DecisionStore
    session_id: str
    model: str
    record: Recorder

    def apply(
        self, review: StepReview, decision: DecisionRecord | None, today: dt.date | None = None
    ) -> AppliedStep:
        """Writes the accepted hunks and `decision` (when given), then makes the step's commit."""
        root: Path = self.repo.root
        self.record(
            "apply_intent",
            {"step": review.step_number, "files": [f.path for f in review.files]},
        )
        written = apply_step(root, review.files)
        for path in written:
            self.record("file_written", {"path": path})
        decision_path = None
        if decision is not None:
            decision.status = DecisionStatus.ACCEPTED
            decision.date = (today or dt.date.today()).isoformat()
            identity = self.repo.identity()
            if identity and not decision.decision_makers:
                decision.decision_makers = [identity[0]]
            decision_path = self.decisions.write(decision)
            self.record("decision_written", {"path": decision_path, "title": decision.title})
        paths = [*written, *([decision_path] if decision_path else [])]
        if not paths:
            return AppliedStep(None, [], None)
        trailers = [
            ("Slowcode-Session", self.session_id),
            ("Slowcode-Step", str(review.step_number)),
        ]
        if decision_path:
            trailers.append(("Decision", decision_path))
        trailers.append(("Assisted-by", self.model))
        sha = self.repo.commit_step(paths, review.title, review.summary.strip(), trailers)
        self.record("commit_made", {"step": review.step_number, "commit": sha, "paths": paths})
        return AppliedStep(sha, written, decision_path)
