"""The review of one step: its explanation, its diff hunk by hunk, and the verdict."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown, Static

from slowcode.engine.human import DecisionAction, StepAction, StepVerdict
from slowcode.engine.review import StepReview, Verdict
from slowcode.tui.screens.decision import DecisionOutcome, DecisionScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.widgets.diff_view import DiffView


def progress_text(review: StepReview, current: int) -> str:
    """The one-line progress count, e.g. ``hunk 3/7 · 2 accepted · 1 rejected · 4 undecided``."""
    total = len(review.hunks)
    if not total:
        return "no hunks"
    counts = review.counts()
    parts = [f"hunk {current + 1}/{total}", f"{counts[Verdict.ACCEPTED]} accepted"]
    if counts[Verdict.EDITED]:
        parts.append(f"{counts[Verdict.EDITED]} edited")
    parts += [f"{counts[Verdict.REJECTED]} rejected", f"{counts[Verdict.UNDECIDED]} undecided"]
    return " · ".join(parts)


class ReviewScreen(Screen[StepVerdict]):
    """Walks a step's hunks like ``git add -p`` and dismisses with the step's verdict.

    Hunk verdicts are set on the `StepReview` itself as the developer decides; the
    screen's result says whether to apply the step (with the decision record
    outcome) or send it back with feedback.

    Args:
        review: The step under review.
    """

    TITLE = "Review"
    CSS_PATH = "review.tcss"
    # Priority, so the movement keys reach the screen even while the diff has focus
    # (the diff's own up/down would otherwise only scroll it).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "accept", "Accept hunk"),
        Binding("n", "reject", "Reject hunk"),
        Binding("a", "accept_all", "Accept all"),
        Binding("j,down", "next_hunk", "Next hunk", priority=True, key_display="j/↓"),
        Binding("k,up", "previous_hunk", "Previous hunk", priority=True, key_display="k/↑"),
        Binding("enter", "apply", "Apply step", priority=True),
        Binding("r", "send_back", "Send back"),
    ]

    def __init__(self, review: StepReview) -> None:
        super().__init__()
        self.review = review
        first = review.next_undecided(-1) if review.hunks else None
        self._start = first if first is not None else 0

    def compose(self) -> ComposeResult:
        """The title, the flag, the explanation, the diff, the progress line."""
        review = self.review
        yield Label(f"Step {review.step_number} · {review.title}", id="review-title")
        if review.architectural:
            because = "; ".join(review.architectural_reasons) or "the model flagged it"
            yield Label(f"⚑ Architectural: {because}", id="review-flag")
        with VerticalScroll(id="review-summary"):
            yield Markdown(review.summary or "*No explanation given.*")
        diff_view = DiffView(review, id="review-diff")
        diff_view.current = self._start
        yield diff_view
        yield Static(progress_text(review, self._start), id="review-progress")
        yield Footer()

    def on_mount(self) -> None:
        """Puts the keyboard on the diff."""
        self.diff_view.focus()

    @property
    def diff_view(self) -> DiffView:
        """The diff of the step."""
        return self.query_one("#review-diff", DiffView)

    @property
    def current(self) -> int:
        """The hunk under review (position in review order)."""
        return self.diff_view.current

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Shows hunk keys only when there are hunks, `accept all` only when one is open."""
        if action in ("accept", "reject", "next_hunk", "previous_hunk"):
            return bool(self.review.hunks)
        if action == "accept_all":
            return self.review.undecided > 0
        return True

    def action_accept(self) -> None:
        """Accepts the current hunk and moves to the next undecided one."""
        self._decide(Verdict.ACCEPTED)

    def action_reject(self) -> None:
        """Rejects the current hunk and moves to the next undecided one."""
        self._decide(Verdict.REJECTED)

    def action_accept_all(self) -> None:
        """Accepts every hunk still undecided."""
        changed = self.review.accept_all()
        if changed:
            self.diff_view.refresh_all_hunks()
        self._after_change()

    def action_next_hunk(self) -> None:
        """Moves to the next hunk (stops at the last)."""
        self._move_to(min(self.current + 1, len(self.review.hunks) - 1))

    def action_previous_hunk(self) -> None:
        """Moves to the previous hunk (stops at the first)."""
        self._move_to(max(self.current - 1, 0))

    def action_apply(self) -> None:
        """Applies the step once every hunk is decided; otherwise shows what is left."""
        undecided = self.review.undecided
        if undecided:
            first = self.review.next_undecided(-1)
            if first is not None:
                self._move_to(first)
            noun = "hunk is" if undecided == 1 else "hunks are"
            self.notify(f"{undecided} {noun} still undecided.", severity="warning")
            return
        if self.review.decision is None and not self.review.architectural:
            self.dismiss(StepVerdict(StepAction.APPLY))
            return
        self.app.push_screen(
            DecisionScreen(
                self.review.decision,
                architectural=self.review.architectural,
                reasons=self.review.architectural_reasons,
            ),
            self._decided,
        )

    def action_send_back(self) -> None:
        """Asks for feedback and sends the step back to the model with it."""

        def answered(feedback: str | None) -> None:
            if feedback:
                self.dismiss(StepVerdict(StepAction.SEND_BACK, feedback=feedback))

        self.app.push_screen(
            FeedbackScreen(
                "Send the step back: what should change?",
                placeholder="e.g. keep the old name and add an alias instead",
            ),
            answered,
        )

    def on_diff_view_hunk_selected(self, event: DiffView.HunkSelected) -> None:
        """Makes the clicked hunk the current one."""
        self._move_to(event.position)

    def _decided(self, outcome: DecisionOutcome | None) -> None:
        if outcome is None:
            return
        record = outcome.record if outcome.action is DecisionAction.RECORD else None
        self.dismiss(
            StepVerdict(
                StepAction.APPLY,
                decision_action=outcome.action,
                decision=record,
                reason=outcome.reason,
            )
        )

    def _decide(self, verdict: Verdict) -> None:
        if not self.review.hunks:
            return
        position = self.current
        self.review.set_verdict(position, verdict)
        self.diff_view.refresh_hunk(position)
        following = self.review.next_undecided(position)
        if following is not None:
            self._move_to(following)
        self._after_change()

    def _move_to(self, position: int) -> None:
        if 0 <= position < len(self.review.hunks):
            self.diff_view.current = position
        self._after_change()

    def _after_change(self) -> None:
        self.query_one("#review-progress", Static).update(progress_text(self.review, self.current))
        self.refresh_bindings()
