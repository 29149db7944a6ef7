"""The conversation sent to the model, bounded by the step (decision 0008).

A request carries a stable prefix, one `user` message holding the task and a
summary of the progress so far (the approved plan with each step's state, and
the latest steps done), then the messages of the current step only. When a
step is applied or skipped, its exchanges are folded into that summary: the
messages kept are the model's closing turn (its `finish_step` call) and the
results answering it, so tool_use/tool_result pairs stay whole and roles still
alternate, and the model reads its `finish_step` result (verdicts, check output,
next step) exactly as before. Until the first step is done, the conversation is
sent as it is (the planning exchanges help with step 1).

The summary is derived from journal events alone and no model is asked for it:
`Conversation.follow` is fed every event as the session records it, and the
same events when a session is resumed from its journal, so a resumed session
sends the same bytes as an uninterrupted one.

The last step is not folded: the one request after it (the model's closing
summary) then reads the step's conversation from the prompt cache instead of
writing a new prefix.

Its size does not grow with the number of steps done: every plan line keeps its
length as its step changes state, and only the latest `DETAILED_STEPS` steps
are described, each with bounded file lists and notes.

Three journal events change what is sent when the model deviates (decision 0029):
`turn_paused` makes the next answer continue the paused one (the two are one
assistant message), `turn_withdrawn` takes the last answer out, and
`context_shrunk` folds everything before the current step's own turns (the last
step's exchanges, the previous step's closing turn, the planning exchanges) and
describes fewer steps in detail.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Any

from slowcode.core.plan import Plan
from slowcode.journal import events as ev
from slowcode.journal.schema import JournalEvent
from slowcode.prompts import load_prompt

DETAILED_STEPS = 5
"""How many of the latest steps done the summary describes in full."""
MIN_DETAILED_STEPS = 1
"""The fewest a shrunk context still describes (the summary says which steps are done)."""
MAX_FILES = 8
MAX_NOTES = 3
MAX_NOTE_CHARS = 240

# Words of equal length, so a step's plan line keeps its size as the step moves on.
APPLIED, SKIPPED, CURRENT, PENDING = "applied", "skipped", "current", "pending"
# The hunk verdicts in the order the summary counts them.
VERDICT_ORDER = ("accepted", "edited", "rejected")

Message = dict[str, Any]


def _clip(text: str, limit: int = MAX_NOTE_CHARS) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class StepSummary:
    """What one step done left behind, as the summary describes it.

    Attributes:
        step: The step's number in the plan.
        title: The step's title.
        commit: The step's commit (None: skipped, nothing accepted).
        paths: The files the step wrote.
        hunks: How many hunks got each verdict.
        decision: The decision record's path and title, when one was recorded.
        check: The check command's exit code, when it ran.
        notes: The developer's feedback and comments, in the order given.
    """

    step: int
    title: str
    commit: str | None
    paths: list[str]
    hunks: dict[str, int] = field(default_factory=dict)
    decision: str | None = None
    check: int | None = None
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        """The step as a few lines of the summary."""
        outcome = f"applied as commit {self.commit[:7]}" if self.commit else "skipped"
        parts = [f'- Step {self.step} "{_clip(self.title, 120)}": {outcome}']
        if self.paths:
            shown = ", ".join(self.paths[:MAX_FILES])
            more = len(self.paths) - MAX_FILES
            parts.append(f"files: {shown}" + (f" and {more} more" if more > 0 else ""))
        counts = [f"{self.hunks[v]} {v}" for v in VERDICT_ORDER if self.hunks.get(v)]
        if counts:
            parts.append("hunks: " + ", ".join(counts))
        if self.decision:
            parts.append(f"decision: {self.decision}")
        if self.check is not None:
            parts.append(
                "check passed" if self.check == 0 else f"check failed (exit code {self.check})"
            )
        lines = ["; ".join(parts) + "."]
        lines += [f"  Developer: {note}" for note in self.notes[-MAX_NOTES:]]
        return "\n".join(lines)


class Conversation:
    """The messages of a session's requests, kept bounded as steps are done.

    Attributes:
        task: The session's task.
        messages: The current step's messages (all of them before the first step is
            done). The workflow appends to it only through journaled
            `conversation_message` events.
    """

    def __init__(self) -> None:
        self.task = ""
        self.messages: list[Message] = []
        self._plan: Plan | None = None
        self._outcomes: dict[int, str] = {}
        self._recent: collections.deque[StepSummary] = collections.deque(maxlen=DETAILED_STEPS)
        self._notes: list[str] = []
        self._hunks: dict[str, int] = {}
        self._decisions: dict[int, str] = {}
        self._closing: StepSummary | None = None
        self._prefix: Message | None = None
        # The last step's summary while its exchanges are still sent (see `follow`).
        self._unfolded: StepSummary | None = None
        # Where the current step's own turns begin in `messages`; `None`: at the next result.
        self._step_start: int | None = 0
        self._detailed = DETAILED_STEPS
        self._shrunk = False
        self.paused = False
        """The last answer paused (`pause_turn`): the next one continues it."""
        self.map_budget: int | None = None
        """The repository map's budget after the latest shrink (None: never shrunk)."""

    @property
    def detailed_steps(self) -> int:
        """How many of the latest steps done the summary describes in full."""
        return self._detailed

    def request_messages(self) -> list[Message]:
        """The messages of the next request: the prefix, then the current step's."""
        if self._prefix is None:
            return list(self.messages)
        return [self._prefix, *self.messages]

    def follow(self, event: JournalEvent) -> None:
        """Takes one more journal event into account (live, or read back on resume)."""
        match event:
            case ev.ConversationMessage(message=message):
                self._add(message)
            case ev.TurnPaused():
                self.paused = True
            case ev.TurnWithdrawn():
                self.paused = False
                if self.messages and self.messages[-1].get("role") == "assistant":
                    self.messages.pop()
            case ev.ContextShrunk(map_tokens=budget, detailed_steps=detailed):
                self.map_budget = budget
                self._shrink(detailed)
            case ev.SessionStarted(task=task):
                self.task = task
            case ev.PlanApproved(plan=plan):
                self._plan = Plan.from_tool_input(plan)
                self._outcomes = {}
                # The planning exchanges end with the results answering this turn.
                self._step_start = None
            case ev.StepVerdictGiven():
                self._follow_verdict(event)
            case ev.NotArchitectural(reason=reason) if reason:
                self._notes.append("not architectural: " + _clip(reason))
            case ev.CommitMade(step=step, decision_path=str() as path) if path:
                self._decisions[step] = path
            case ev.StepApplied():
                summary = self._summary_of(event)
                # After the last step only the closing summary is asked for: folding would
                # send a new prefix for one request, where keeping the step reads it cached.
                last = self._plan is not None and summary.step >= len(self._plan.steps)
                self._closing = None if last else summary
                self._unfolded = summary if last else None
            case ev.CheckRun(exit_code=code) if self._closing is not None:
                self._closing.check = code

    def _add(self, message: Message) -> None:
        if self.paused and message.get("role") == "assistant" and self.messages:
            # The answer continues the paused turn: the API sees one assistant message.
            paused = self.messages.pop()
            message = {**message, "content": [*_blocks(paused), *_blocks(message)]}
        self.paused = False
        self.messages.append(message)
        if message.get("role") != "user":
            return
        if self._step_start is None:
            self._step_start = len(self.messages)
        if self._closing is not None:
            self._fold(self._closing)

    def shrink_effect(self, detailed: int) -> tuple[int, int]:
        """What a shrink to `detailed` described steps would fold.

        Returns:
            How many finished steps would leave the requests (their exchanges, or
            their details in the summary), and how many messages would be left out.
        """
        recent = list(self._recent)
        folded: set[int] = set()
        dropped = self._step_start or 0
        if self._unfolded is not None:
            done = self._unfolded
            folded.add(done.step)
            dropped = len(self.messages)
            recent = [*(s for s in recent if s.step != done.step), done]
        elif dropped and recent:
            folded.add(recent[-1].step)
        shown = {s.step for s in list(self._recent)[-self._detailed :]}
        folded |= shown - {s.step for s in recent[-detailed:]}
        return len(folded), dropped

    def _shrink(self, detailed: int) -> None:
        """Folds everything before the current step's own turns; describes `detailed` steps."""
        if self._unfolded is not None:
            self._fold(self._unfolded)
            self._step_start = len(self.messages)
        self._unfolded = None
        self.messages = self.messages[self._step_start or 0 :]
        self._step_start = 0
        self._detailed = max(MIN_DETAILED_STEPS, detailed)
        self._shrunk = True
        if self._plan is not None or self._prefix is not None:
            self._prefix = self._prefix_message()

    def _follow_verdict(self, given: ev.StepVerdictGiven) -> None:
        if given.action == "send_back":
            if given.feedback.strip():
                self._notes.append("sent back: " + _clip(given.feedback))
            return
        self._hunks = dict.fromkeys(VERDICT_ORDER, 0)
        for row in given.hunks:
            verdict = str(row.get("verdict", ""))
            if verdict in self._hunks:
                self._hunks[verdict] += 1
            if row.get("comment"):
                where = f"{row.get('file')} hunk {row.get('index')} ({verdict})"
                self._notes.append(f"{where}: " + _clip(str(row["comment"])))

    def _summary_of(self, applied: ev.StepApplied) -> StepSummary:
        number = applied.step
        title = ""
        if self._plan is not None and 0 < number <= len(self._plan.steps):
            title = self._plan.steps[number - 1].title
        decision = self._decisions.get(number)
        if decision and applied.decision_title:
            decision += f" ({_clip(applied.decision_title, 120)})"
        summary = StepSummary(
            step=number,
            title=title,
            commit=applied.commit or None,
            paths=[str(p) for p in applied.paths],
            hunks=self._hunks,
            decision=decision,
            notes=self._notes,
        )
        self._hunks, self._notes = {}, []
        return summary

    def _fold(self, done: StepSummary) -> None:
        """Replaces the step's exchanges with the summary; keeps its closing turn."""
        self._closing = None
        self._outcomes[done.step] = APPLIED if done.commit else SKIPPED
        # A step applied again after a restart replaces its earlier summary.
        kept = [summary for summary in self._recent if summary.step != done.step]
        self._recent = collections.deque([*kept, done], maxlen=DETAILED_STEPS)
        last_assistant = max(
            (i for i, m in enumerate(self.messages) if m.get("role") == "assistant"), default=None
        )
        self.messages = [] if last_assistant is None else self.messages[last_assistant:]
        self._step_start = len(self.messages)
        self._prefix = self._prefix_message()

    def _prefix_message(self) -> Message:
        content = [
            {"type": "text", "text": self.task or "(no task)"},
            {"type": "text", "text": self.progress_text()},
        ]
        if self._shrunk:
            content.append({"type": "text", "text": load_prompt("context_shrunk.md").strip()})
        return {"role": "user", "content": content}

    def progress_text(self) -> str:
        """The summary of the plan and the latest steps done."""
        plan = self._plan
        lines: list[str] = []
        current_seen = False
        for number, step in enumerate(plan.steps if plan else [], start=1):
            state = self._outcomes.get(number)
            if state is None:
                state, current_seen = (PENDING if current_seen else CURRENT), True
            lines.append(f"{number}. [{state}] {step.title}: {step.why}")
        shown = list(self._recent)[-self._detailed :]
        done = "\n".join(summary.render() for summary in shown)
        return load_prompt("progress.md").format(
            goal=plan.goal if plan else "",
            plan="\n".join(lines) or "(no plan)",
            done=done or "(none yet)",
        )


def _blocks(message: Message) -> list[Any]:
    """A message's content as a list of blocks."""
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    return list(content or [])
