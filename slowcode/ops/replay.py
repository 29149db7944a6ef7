"""Re-running a session from its journal, to show that its commits follow from what was recorded.

The session is run again in a scratch worktree checked out (detached) at the parent
of its first step's commit: the one the current branch holds, found by its trailers
when a rebase, an amend or a squash gave it a new id. The model's recorded
responses are served in order on loopback by a `ReplayServer`, so the ordinary
client and SDK run; a `ReplayHuman` gives back the recorded verdicts: the plan's,
the answers to questions, and each step's hunks (with the developer's edits, from
the review's last snapshot) and action. Each replayed step's tree is then compared
with the committed one.

What a step's tree takes from whoever runs the replay is pinned to the original:
a decision record gets the original record's decision makers and date, not the
local `user.name` and today.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from slowcode.core.config import load_config
from slowcode.core.errors import SlowcodeError
from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview, Verdict
from slowcode.decisions.formats import parse_any
from slowcode.engine.human import (
    Answer,
    CommitChoice,
    PlanVerdict,
    Question,
    RefusedCommit,
    StepVerdict,
)
from slowcode.engine.review.state import restore_hunks, verdict_from_json
from slowcode.engine.session.workflow import EMPTY_ANSWER_TEXT, MALFORMED_STOP, Workflow
from slowcode.git.runner import git_text
from slowcode.journal import events as ev
from slowcode.journal.log import Event, entries_of, read_events
from slowcode.model.loopback import ReplayServer
from slowcode.model.settings import ModelSettings
from slowcode.ops.step_commits import branch_steps


class ReplayDiverged(SlowcodeError):
    """The replay asked the developer something the session never asked."""


@dataclass(frozen=True)
class StepCheck:
    """One step: its committed tree against the replayed one.

    Attributes:
        step: The step's number.
        commit: The session's commit for it.
        committed_tree: That commit's tree.
        replayed: The replay's commit (None when the replay never got there).
        replayed_tree: The replay's tree (None likewise).
        squashed_with: The later step whose commit holds this one too (a squash):
            the squashed steps are checked together, by that step's tree.
    """

    step: int
    commit: str
    committed_tree: str
    replayed: str | None
    replayed_tree: str | None
    squashed_with: int | None = None

    @property
    def matches(self) -> bool:
        """True when the replay produced exactly the committed tree."""
        return self.squashed_with is not None or self.replayed_tree == self.committed_tree

    def line(self) -> str:
        """`step 1: OK: tree 1a2b3c4d, as in commit 5e6f7a8b` or what differs."""
        if self.squashed_with is not None:
            return (
                f"step {self.step}: squashed into {self.commit[:8]}: "
                f"checked with step {self.squashed_with}"
            )
        if self.replayed_tree is None:
            return f"step {self.step}: MISMATCH: the replay made no commit for it"
        if self.matches:
            return f"step {self.step}: OK: tree {self.committed_tree[:8]}, as in {self.commit[:8]}"
        return (
            f"step {self.step}: MISMATCH: commit {self.commit[:8]} has tree "
            f"{self.committed_tree[:8]}, the replay made tree {self.replayed_tree[:8]}"
        )


@dataclass
class ReplayReport:
    """What a replay did.

    Attributes:
        session_id: The session replayed.
        steps: Every committed step, checked against the replay.
        problem: Why the replay stopped early ("" when it ran to the end).
        unused_responses: Recorded responses the replay never asked for.
    """

    session_id: str
    steps: list[StepCheck] = field(default_factory=list)
    problem: str = ""
    unused_responses: int = 0

    @property
    def ok(self) -> bool:
        """Every step's tree matches and the replay ran to its end."""
        return not self.problem and all(step.matches for step in self.steps)


def recorded_responses(events: list[Event], model: str) -> list[dict[str, Any]]:
    """The model's responses, rebuilt from the journal's assistant messages in order.

    Each assistant message is journaled just before its `model_response` event,
    which carries the stop reason, usage and model of that answer.
    """
    answers: list[tuple[list[Any], dict[str, Any]]] = []
    for entry in entries_of(events):
        event = entry.event
        if isinstance(event, ev.ModelResponse) and answers and not answers[-1][1]:
            answers[-1][1].update(event.to_data())
            continue
        if not isinstance(event, ev.ConversationMessage):
            continue
        if event.message.get("role") != "assistant":
            continue
        content = event.message["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        if blocks == [{"type": "text", "text": EMPTY_ANSWER_TEXT}]:
            blocks = []
        answers.append((blocks, {}))
    return [_response(number, blocks, meta, model) for number, (blocks, meta) in enumerate(answers)]


def _response(number: int, blocks: list[Any], meta: dict[str, Any], model: str) -> dict[str, Any]:
    uses = any(isinstance(b, dict) and b.get("type") == "tool_use" for b in blocks)
    stop = str(meta.get("stop_reason") or ("tool_use" if uses else "end_turn"))
    if stop == MALFORMED_STOP:
        # The unparsable call cannot be sent again; its stand-in costs the same strike.
        stop = "end_turn"
    return {
        "id": f"msg_replay_{number + 1:04d}",
        "type": "message",
        "role": "assistant",
        "model": str(meta.get("model") or model),
        "content": blocks,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": meta.get("usage") or {"input_tokens": 0, "output_tokens": 1},
    }


@dataclass
class ReplayHuman:
    """Gives back the developer's recorded answers, in the order they were given."""

    plans: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    steps: list[tuple[dict[str, Any], list[dict[str, Any]] | None]] = field(default_factory=list)
    commit_choices: list[str] = field(default_factory=list)
    # Step → the original decision record's (decision makers, date), pinned on the replay's.
    decisions: dict[int, tuple[list[str], str]] = field(default_factory=dict)
    pin_date: Callable[[date], None] | None = None

    @classmethod
    def from_events(cls, events: list[Event]) -> ReplayHuman:
        """The verdicts of a journal: plan, questions, and each step's hunks and action."""
        human = cls()
        snapshot: list[dict[str, Any]] | None = None
        for entry in entries_of(events):
            match event := entry.event:
                case ev.PlanApproved() | ev.PlanSentBack():
                    approved = isinstance(event, ev.PlanApproved)
                    human.plans.append({"approved": approved, **event.to_data()})
                case ev.QuestionAnswered():
                    human.answers.append(event.to_data())
                case ev.CommitChoiceMade(choice=choice):
                    human.commit_choices.append(choice)
                case ev.StepReviewOpened():
                    snapshot = None
                case ev.ReviewProgress(hunks=hunks):
                    snapshot = list(hunks)
                case ev.StepVerdictGiven():
                    human.steps.append((event.to_data(), snapshot))
                    snapshot = None
                case ev.ApplyRefused() if human.steps:
                    # That verdict was never carried out: the developer gave the next one.
                    snapshot = human.steps.pop()[1]
        return human

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        """The recorded approval (with the plan as approved) or feedback."""
        if not self.plans:
            raise ReplayDiverged("the replay proposed a plan the session never reviewed")
        data = self.plans.pop(0)
        if not data["approved"]:
            return PlanVerdict(approved=False, feedback=str(data.get("feedback", "")))
        return PlanVerdict(approved=True, steps=Plan.from_tool_input(data["plan"]).steps)

    async def answer_question(self, question: Question) -> Answer:
        """The recorded answer."""
        if not self.answers:
            raise ReplayDiverged(f"the replay asked a question the session never did: {question}")
        data = self.answers.pop(0)
        return Answer(str(data.get("answer", "")), data.get("option"))

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        """The recorded choice about a refused commit."""
        if not self.commit_choices:
            raise ReplayDiverged(
                f"git refused the commit of step {refused.step}, which the session's did not"
            )
        return CommitChoice(self.commit_choices.pop(0))

    async def review_step(self, review: StepReview) -> StepVerdict:
        """Puts back the recorded hunks (edits included) and verdicts; returns the action."""
        if not self.steps:
            raise ReplayDiverged(f"the replay reviewed step {review.step_number} once too often")
        data, snapshot = self.steps.pop(0)
        if snapshot is not None:
            restore_hunks(review, snapshot)
        rows = {(str(r["file"]), int(r["index"])): str(r["verdict"]) for r in data["hunks"]}
        for position, hunk in enumerate(review.hunks):
            verdict = rows.get((hunk.file, hunk.index))
            if verdict is not None and verdict != hunk.verdict:
                review.set_verdict(position, Verdict(verdict))
        answer = verdict_from_json(data)
        self._pin_decision(review, answer)
        return answer

    def _pin_decision(self, review: StepReview, verdict: StepVerdict) -> None:
        """Gives the step's record the original's decision makers and date."""
        pinned = self.decisions.get(review.step_number)
        if pinned is None:
            return
        makers, day = pinned
        for record in (verdict.decision, review.decision):
            if record is not None:
                record.decision_makers = list(makers)
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return
        if self.pin_date is not None:
            self.pin_date(when)


def replay_session(root: Path, folder: Path) -> ReplayReport:
    """Replays the session journaled in `folder` and checks every step's tree.

    Args:
        root: The repository's work tree.
        folder: The session's folder (`.slowcode/sessions/<id>`).

    The session's commits are the ones the current branch holds, found by their
    `Slowcode-Session` and `Slowcode-Step` trailers, so a rebased, amended or
    squashed session is checked as it is now.

    Raises:
        SlowcodeError: The journal cannot be read, or the session made no commit
            (the replay would not know where the session started).
    """
    events = read_events(folder)
    entries = entries_of(events, folder)
    started = next((e.event for e in entries if isinstance(e.event, ev.SessionStarted)), None)
    if started is None:
        raise SlowcodeError(f"session {folder.name} has no task to replay")
    commits = [(e.ts, e.event) for e in entries if isinstance(e.event, ev.CommitMade)]
    if not commits:
        raise SlowcodeError(f"session {folder.name} made no commit: there is nothing to replay")
    branch = branch_steps(root)
    current = {
        made.step: (branch and branch.current(folder.name, made.step, made.commit)) or made.commit
        for _ts, made in commits
    }
    first = current[commits[0][1].step]
    parent = git_text(root, "rev-parse", "--verify", "--quiet", f"{first}^", check=False).strip()
    if not parent:
        raise SlowcodeError(
            f"the first commit of session {folder.name} ({first[:8]}) has no parent"
        )
    intents = (e.ts for e in entries if isinstance(e.event, ev.ApplyIntentRecorded))
    when = next(intents, commits[0][0])
    human = ReplayHuman.from_events(events)
    human.decisions = {
        made.step: pinned
        for _ts, made in commits
        if made.decision_path
        and (pinned := _original_decision(root, current[made.step], made.decision_path))
    }
    report = ReplayReport(folder.name)
    with scratch_worktree(root, parent) as scratch:
        replayed = asyncio.run(_run(scratch, events, started, report, when, human))
    steps = [made.step for _ts, made in commits]
    for position, step in enumerate(steps):
        commit = current[step]
        again = replayed.get(step)
        later = [n for n in steps[position + 1 :] if current[n] == commit]
        report.steps.append(
            StepCheck(
                step=step,
                commit=commit,
                committed_tree=_tree(root, commit),
                replayed=again,
                replayed_tree=_tree(root, again) if again else None,
                squashed_with=later[-1] if later else None,
            )
        )
    return report


def _original_decision(root: Path, commit: str, path: str) -> tuple[list[str], str] | None:
    """The decision makers and date of the record `path` as `commit` holds it."""
    text = git_text(root, "show", f"{commit}:{path}", check=False)
    if not text.strip():
        return None
    try:
        record = parse_any(text, path)
    except SlowcodeError:
        return None
    return list(record.decision_makers), record.date


async def _run(
    scratch: Path,
    events: list[Event],
    started: ev.SessionStarted,
    report: ReplayReport,
    when: str,
    human: ReplayHuman,
) -> dict[int, str]:
    """Runs the workflow in `scratch`; returns each replayed step's commit."""
    model, task = started.model, started.task
    # The check command's result goes to the model, whose answers are recorded: running
    # it again would change nothing but the time a replay takes.
    config = dataclasses.replace(load_config(scratch, os.environ), check_command=None)
    with ReplayServer(recorded_responses(events, model or config.model)) as server:
        settings = ModelSettings(
            model=model or config.model,
            api_key="replay",
            base_url=server.base_url,
            retry_backoff_seconds=0.01,
            max_retries=0,
            stream_retries=0,
            builtin_text_editor=config.builtin_text_editor,
        )
        workflow = Workflow(
            root=scratch,
            config=config,
            settings=settings,
            human=human,
            on_progress=lambda _event: None,
        )
        workflow.today = _local_date(when)
        human.pin_date = functools.partial(setattr, workflow, "today")
        try:
            await workflow.run(task)
        except SlowcodeError as error:
            report.problem = f"the replay stopped: {error}"
        finally:
            await workflow.client.aclose()
        report.unused_responses = server.remaining
    done = workflow.journal.entries() if workflow.journal is not None else []
    return {e.event.step: e.event.commit for e in done if isinstance(e.event, ev.CommitMade)}


def _local_date(timestamp: str) -> date | None:
    """The local calendar date of a journal timestamp: the day decision records got."""
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone().date()
    except ValueError:
        return None


@contextmanager
def scratch_worktree(root: Path, commit: str) -> Iterator[Path]:
    """A detached worktree of `commit` in a temporary folder, removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="slowcode-replay-"))
    path = base / "worktree"
    try:
        git_text(root, "worktree", "add", "--detach", "--quiet", str(path), commit)
        yield path
    finally:
        git_text(root, "worktree", "remove", "--force", str(path), check=False)
        shutil.rmtree(base, ignore_errors=True)
        git_text(root, "worktree", "prune", check=False)


def _tree(root: Path, commit: str) -> str:
    return git_text(root, "rev-parse", f"{commit}^{{tree}}").strip()
