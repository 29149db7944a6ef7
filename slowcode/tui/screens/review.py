"""The review of one step: its explanation, its diff hunk by hunk, and the verdict."""

from __future__ import annotations

from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from slowcode.core.errors import SlowcodeError
from slowcode.core.step_review import Hunk, StepReview, Verdict
from slowcode.engine.human import DecisionAction, StepAction, StepVerdict
from slowcode.engine.review.hunk_ops import (
    HunkOpError,
    can_split,
    edit_in_review,
    editable_text,
    from_editor,
    split_in_review,
)
from slowcode.model.types import ModelError
from slowcode.tui.literal import literal, literal_line, notify
from slowcode.tui.screens.decision import DecisionOutcome, DecisionScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.screens.hunk_edit import HunkEditScreen
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.diff_view import DiffView
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.literal_markdown import LiteralMarkdown

MIN_DIFF_ROWS = 3
"""Fewer rows than this for the diff, and the review says the terminal is too small."""


def _summary_cap(height: int) -> int:
    """The explanation's most rows on a screen `height` rows tall: about a quarter."""
    return max(2, min(10, height // 4))


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
    carried = sum(1 for hunk in review.hunks if hunk.carried_over)
    if carried:
        parts.append(f"{carried} carried over")
    return " · ".join(parts)


class ReviewScreen(IgnoresTypeAhead, Screen[StepVerdict | None]):
    """Walks a step's hunks like ``git add -p`` and dismisses with the step's verdict.

    Hunk verdicts are set on the `StepReview` itself as the developer decides; the
    screen's result says whether to apply the step (with the decision record
    outcome) or send it back with feedback. `escape` dismisses with None: back to
    the session screen with nothing decided about the step, which waits there.

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
        Binding("e", "edit", "Edit"),
        Binding("s", "split", "Split"),
        Binding("w", "why", "Why?"),
        Binding("v", "toggle_view", "View"),
        Binding("j,down", "next_hunk", "Next", priority=True, key_display="j/↓"),
        Binding("k,up", "previous_hunk", "Previous", priority=True, key_display="k/↑"),
        Binding("enter", "apply", "Apply step", priority=True),
        Binding("r", "send_back", "Send back"),
        Binding("escape", "back", "Back to session"),
    ]

    def __init__(self, review: StepReview) -> None:
        super().__init__()
        self.review = review
        first = review.next_undecided(-1) if review.hunks else None
        self._start = first if first is not None else 0
        # Hunks waiting for the model's answer to "why?" (by identity: a split moves positions).
        self._asking: list[Hunk] = []

    def compose(self) -> ComposeResult:
        """The title, the flag, the explanation, the diff, the progress line."""
        review = self.review
        yield Label(literal_line(f"Step {review.step_number} · {review.title}"), id="review-title")
        if review.architectural:
            because = "; ".join(review.architectural_reasons) or "the model flagged it"
            yield Label(literal(f"⚑ Architectural: {because}"), id="review-flag")
        with VerticalScroll(id="review-summary"):
            yield LiteralMarkdown(review.summary or "*No explanation given.*")
        yield Static("", id="review-too-small")
        diff_view = DiffView(review, id="review-diff")
        diff_view.current = self._start
        yield diff_view
        yield Static(progress_text(review, self._start), id="review-progress")
        yield KeyBar()

    def dismiss(self, result: StepVerdict | None = None) -> AwaitComplete:
        """Closes the review; what the developer saw is credited to the hunks first."""
        self.diff_view.seen.flush()
        return super().dismiss(result)

    def on_screen_suspend(self) -> None:
        """A dialog or another screen hides the diff: its time in view stops."""
        self.diff_view.seen.pause()

    def on_screen_resume(self) -> None:
        """The diff shows again."""
        self.diff_view.seen.resume()

    def on_mount(self) -> None:
        """Puts the keyboard on the diff."""
        self.diff_view.focus()

    def on_resize(self, event: events.Resize) -> None:
        """Gives the explanation at most a quarter of the screen: the diff stays in view."""
        summary = self.query_one("#review-summary", VerticalScroll)
        summary.styles.max_height = _summary_cap(event.size.height)

    def on_diff_view_resized(self, event: DiffView.Resized) -> None:
        """Checks the room for the diff once the new layout is in place."""
        self.call_after_refresh(self._check_room)

    def _check_room(self) -> None:
        """Says so in one line when the terminal leaves too few rows for the diff."""
        notice = self.query_one("#review-too-small", Static)
        # The rows the diff would have without the notice, which takes one of them once
        # it is laid out (its size, not its `display`, which a layout may not follow yet).
        shown = notice.outer_size.height if notice.display else 0
        rows = self.diff_view.scrollable_content_region.height + shown
        too_small = rows < MIN_DIFF_ROWS
        if too_small:
            needed = self._height_for_diff(rows)
            notice.update(literal(f"Too small for the diff: make the terminal {needed}+ rows tall"))
        notice.display = too_small

    def _height_for_diff(self, rows: int) -> int:
        """The least terminal height that leaves `MIN_DIFF_ROWS` for the diff.

        Each row more goes to the diff, except those the explanation takes as its
        share of a taller screen grows.
        """
        summary = self.query_one("#review-summary", VerticalScroll)
        now, wanted = summary.outer_size.height, summary.virtual_size.height + 1
        height = self.size.height
        needed = height + 1
        while rows + (needed - height) - (min(wanted, _summary_cap(needed)) - now) < MIN_DIFF_ROWS:
            needed += 1
        return needed

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
        if action == "split":
            # Offered only where it would cut something.
            hunks = self.review.hunks
            return bool(hunks) and can_split(hunks[self.current])
        if action in ("accept", "reject", "next_hunk", "previous_hunk", "edit"):
            return bool(self.review.hunks)
        if action == "why":
            return bool(self.review.hunks) and self.review.ask_why is not None
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

    def action_back(self) -> None:
        """Back to the session screen; the step stays unapplied, its verdicts kept."""
        self.dismiss(None)

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

    def action_edit(self) -> None:
        """Opens the current hunk's new side in an editor; the edit becomes the change."""
        if not self.review.hunks:
            return
        position = self.current
        hunk = self.review.hunks[position]
        try:
            original = editable_text(hunk)
        except HunkOpError as error:
            self.notify(str(error), severity="warning")
            return

        def edited(text: str | None) -> None:
            if text is None:
                return
            if text == original:
                self.notify("No change: the hunk stays as it was.")
                return
            try:
                edit_in_review(self.review, position, from_editor(hunk, text))
            except HunkOpError as error:
                notify(self, str(error), severity="error")
                return
            self.diff_view.rebuild()
            following = self.review.next_undecided(position)
            if following is not None:
                self._move_to(following)
            self._after_change()

        self.app.push_screen(HunkEditScreen(f"{hunk.file} {hunk.header}", original), edited)

    def action_split(self) -> None:
        """Splits the current hunk at its unchanged lines into smaller hunks."""
        if not self.review.hunks:
            return
        try:
            pieces = split_in_review(self.review, self.current)
        except HunkOpError as error:
            notify(self, str(error), severity="warning")
            return
        if pieces == 1:
            self.notify("This hunk has no unchanged lines between its changes: it cannot be split.")
            return
        self._sync_asking()
        self.notify(f"Split into {pieces} hunks.")
        self._after_change()

    def action_why(self) -> None:
        """Asks the model why it made the current hunk; the answer appears under it."""
        ask = self.review.ask_why
        if not self.review.hunks or ask is None:
            return
        hunk = self.review.hunks[self.current]
        if any(waiting is hunk for waiting in self._asking):
            self.notify("Already asking the model about this hunk.")
            return
        self._asking.append(hunk)
        self._sync_asking()
        self._ask_why(hunk)

    @work(group="why", exit_on_error=False)
    async def _ask_why(self, hunk: Hunk) -> None:
        ask = self.review.ask_why
        try:
            if ask is not None:
                position = next(i for i, each in enumerate(self.review.hunks) if each is hunk)
                await ask(position)
        except (ModelError, SlowcodeError, StopIteration) as error:
            notify(self, f"Could not ask why: {error}", severity="error")
        finally:
            self._asking = [waiting for waiting in self._asking if waiting is not hunk]
            if self.is_attached:
                self._sync_asking()
                self._show_answer(hunk)

    def _show_answer(self, hunk: Hunk) -> None:
        """Brings the answer under the current hunk into view: it may be below the fold."""
        hunks = self.review.hunks
        if hunks and hunks[self.current] is hunk and hunk.why:
            self.call_after_refresh(self.diff_view.scroll_to_hunk_end, self.current)

    def action_toggle_view(self) -> None:
        """Switches between the unified and the side-by-side view."""
        self.diff_view.side_by_side = not self.diff_view.side_by_side

    def _sync_asking(self) -> None:
        """Rebuilds the diff with the "asking…" notes of the hunks still waiting."""
        asking = self._asking
        self.diff_view.pending_why = {
            position
            for position, hunk in enumerate(self.review.hunks)
            if any(waiting is hunk for waiting in asking)
        }
        self.diff_view.rebuild()

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
        view = self.diff_view
        if verdict is Verdict.ACCEPTED and view.unseen_rows(position):
            # Accepting needs the hunk's end on screen: `y` first scrolls to it.
            left = view.reveal_more(position)
            if left:
                lines = "line" if left == 1 else "lines"
                note = f"↓ {left} more {lines} in this hunk · y again at its end"
            else:
                note = "end of the hunk in view · y accepts it"
            self.query_one("#review-progress", Static).update(literal(note))
            return
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
        # The engine journals the review whenever it changed (it ignores a mere move).
        self.review.changed()
        self.query_one("#review-progress", Static).update(progress_text(self.review, self.current))
        self.refresh_bindings()
