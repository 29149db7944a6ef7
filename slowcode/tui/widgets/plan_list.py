"""The plan as a list of steps with their state; also where the plan is approved and edited."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from slowcode.core.literal import visible_line
from slowcode.core.plan import Plan, PlanStep, StepState
from slowcode.tui.literal import literal_line

STATE_MARKERS: dict[StepState, str] = {
    StepState.PENDING: "○",
    StepState.IN_PROGRESS: "▶",
    StepState.APPLIED: "✓",
    StepState.SKIPPED: "–",
    StepState.UNDONE: "↶",
}
"""A marker per step state, so the state reads without colour."""

_STATE_STYLES: dict[StepState, str] = {
    StepState.PENDING: "",
    StepState.IN_PROGRESS: "bold",
    StepState.APPLIED: "",
    StepState.SKIPPED: "dim strike",
    StepState.UNDONE: "dim",
}


def step_line(number: int, step: PlanStep) -> Text:
    """One step as text: marker, number, title, then its reason dimmed on a line of its own."""
    style = _STATE_STYLES[step.state]
    text = Text(f"{STATE_MARKERS[step.state]} {number}. ", style=style)
    text.append(visible_line(step.title), style=style or "bold")
    if step.why:
        text.append(f"\n     {visible_line(step.why)}", style="dim")
    return text


def step_prompt(number: int, step: PlanStep) -> Table:
    """`step_line` laid out for the list: a title or reason that wraps keeps its indent."""
    marker, body = _step_parts(number, step)
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row(marker, body)
    return grid


def _step_parts(number: int, step: PlanStep) -> tuple[Text, Text]:
    """The marker and number, and the title with the reason on a line of its own."""
    style = _STATE_STYLES[step.state]
    marker = Text(f"{STATE_MARKERS[step.state]} {number}. ", style=style)
    body = Text(visible_line(step.title), style=style or "bold")
    if step.why:
        body.append(f"\n{visible_line(step.why)}", style="dim")
    return marker, body


class PlanList(OptionList):
    """The plan's steps, each with its state marker.

    While `reviewing` is True the developer edits the steps in place (`d` delete,
    `K`/`J` move) and approves (`enter`) or sends the plan back (`r`); editing
    and inserting a step (`e`/`i`) are requested from the parent, which asks for
    the text. Outside a review the list only shows progress.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "approve", "Approve plan"),
        Binding("r", "send_back", "Send plan back"),
        Binding("e", "edit", "Edit step"),
        Binding("i", "insert", "Insert step"),
        Binding("d", "delete", "Delete step"),
        Binding("K", "move(-1)", "Move up"),
        Binding("J", "move(1)", "Move down"),
        Binding("j", "cursor_down", "Next step", show=False),
        Binding("k", "cursor_up", "Previous step", show=False),
    ]

    _REVIEW_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"approve", "send_back", "edit", "insert", "delete", "move"}
    )

    class Approved(Message):
        """The developer approved the plan with these (possibly edited) steps."""

        def __init__(self, steps: list[PlanStep]) -> None:
            super().__init__()
            self.steps = steps

    class SendBackRequested(Message):
        """The developer wants a new plan and will say why."""

    class EditRequested(Message):
        """The developer wants to edit step `index`, or insert one below it (`insert`)."""

        def __init__(self, index: int, insert: bool) -> None:
            super().__init__()
            self.index = index
            self.insert = insert

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.steps: list[PlanStep] = []
        self.reviewing = False

    def show_plan(self, plan: Plan | None) -> None:
        """Shows `plan`'s steps (a copy, so edits stay local until approved)."""
        steps = [] if plan is None else plan.steps
        self.steps = [PlanStep(step.title, step.why, step.state) for step in steps]
        # The goal above the steps, in the border's title (cut with … when it is long).
        goal = "" if plan is None else plan.goal.strip()
        self.border_title = literal_line(f"Plan · {goal}") if goal else "Plan"
        self._rebuild(self.highlighted)

    def mark_undone(self, number: int) -> None:
        """Marks step `number` (from 1) undone: its commit was reverted."""
        if 1 <= number <= len(self.steps):
            self.steps[number - 1].state = StepState.UNDONE
            self._rebuild(self.highlighted)

    def start_review(self, plan: Plan) -> None:
        """Shows `plan` for approval and enables the editing keys."""
        self.reviewing = True
        self.show_plan(plan)
        self.highlighted = 0 if self.steps else None
        self.refresh_bindings()

    def end_review(self) -> None:
        """Back to showing progress only."""
        self.reviewing = False
        self.refresh_bindings()

    def replace_step(self, index: int, step: PlanStep) -> None:
        """Replaces step `index` (after an edit)."""
        self.steps[index] = step
        self._rebuild(index)

    def insert_step(self, index: int, step: PlanStep) -> None:
        """Inserts `step` at `index`."""
        self.steps.insert(index, step)
        self._rebuild(index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offers the plan keys only while the plan is under review."""
        if action in self._REVIEW_ACTIONS:
            if not self.reviewing:
                return False
            if action in ("edit", "delete"):
                return self.highlighted is not None
            if action == "move":
                # Up from the first step or down from the last is not offered.
                offset = parameters[0] if parameters and isinstance(parameters[0], int) else 0
                index = self.highlighted
                return index is not None and 0 <= index + offset < len(self.steps)
        return True

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Scrolls to the highlighted step; the keys that move it follow where it is."""
        super().watch_highlighted(highlighted)
        self.refresh_bindings()

    def action_approve(self) -> None:
        """Approves the plan as it stands in the list."""
        if not self.steps:
            self.notify("The plan has no steps: insert one (i) or send it back (r).")
            return
        self.post_message(self.Approved([PlanStep(s.title, s.why) for s in self.steps]))

    def action_send_back(self) -> None:
        """Asks the parent for feedback on the plan."""
        self.post_message(self.SendBackRequested())

    def action_edit(self) -> None:
        """Asks the parent to edit the selected step."""
        if self.highlighted is not None:
            self.post_message(self.EditRequested(self.highlighted, insert=False))

    def action_insert(self) -> None:
        """Asks the parent for a new step below the selected one."""
        index = -1 if self.highlighted is None else self.highlighted
        self.post_message(self.EditRequested(index, insert=True))

    def action_delete(self) -> None:
        """Deletes the selected step."""
        if self.highlighted is None or not self.steps:
            return
        index = self.highlighted
        del self.steps[index]
        self._rebuild(min(index, len(self.steps) - 1))

    def action_move(self, offset: int) -> None:
        """Moves the selected step up (-1) or down (+1)."""
        index = self.highlighted
        if index is None:
            return
        target = index + offset
        if not 0 <= target < len(self.steps):
            return
        self.steps[index], self.steps[target] = self.steps[target], self.steps[index]
        self._rebuild(target)

    def _rebuild(self, highlight: int | None) -> None:
        self.clear_options()
        self.add_options(
            [Option(step_prompt(number, step)) for number, step in enumerate(self.steps, 1)]
        )
        if self.steps:
            index = 0 if highlight is None else max(0, min(highlight, len(self.steps) - 1))
            self.highlighted = index
        self.refresh_bindings()
