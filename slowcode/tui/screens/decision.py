"""The decision draft of an architectural step: edit, record, reject, or not architectural."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label

from slowcode.core.decision_record import DecisionRecord
from slowcode.engine.human import DecisionAction
from slowcode.tui.decision_markdown import options_markdown
from slowcode.tui.literal import literal
from slowcode.tui.screens.decision_edit import DecisionEditScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.literal_markdown import LiteralMarkdown


@dataclass(frozen=True)
class DecisionOutcome:
    """What the developer did with the draft.

    `record` is the record to write (RECORD only); `reason` explains NOT_ARCHITECTURAL.
    """

    action: DecisionAction
    record: DecisionRecord | None = None
    reason: str = ""


def record_markdown(record: DecisionRecord) -> str:
    """The draft as Markdown, in the order a MADR record reads."""
    parts = [f"# {record.title or 'Untitled decision'}", f"Status: **{record.status}**"]
    if record.context:
        parts += ["## Context and problem", record.context]
    if record.options:
        parts += ["## Considered options", options_markdown(record)]
    if record.outcome:
        parts += ["## Decision outcome", record.outcome]
    if record.consequences:
        parts += ["## Consequences", record.consequences]
    return "\n\n".join(parts)


class DecisionScreen(IgnoresTypeAhead, ModalScreen[DecisionOutcome | None]):
    """Shows the drafted decision record of a step and asks what to do with it.

    A step flagged as architectural cannot drop its record silently: `x` (reject)
    rejects the record of a step that is not flagged, and on a flagged one says
    that `n` (asking for the reason the step is not architectural) is the way.
    `e` edits the draft's texts (or writes a record when none was drafted);
    `enter` then records the edited copy. `escape` goes back to
    the review (None), dropping the edits.

    Args:
        draft: The drafted record, or None when the detector flagged a step the
            model drafted no record for.
        architectural: Whether the step is flagged as architectural.
        reasons: Why it was flagged.
    """

    TITLE = "Decision record"
    CSS_PATH = "decision.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "record", "Record decision"),
        Binding("e", "edit", "Edit draft…"),
        Binding("x", "reject", "Reject record"),
        Binding("n", "not_architectural", "Not architectural…"),
        Binding("escape", "cancel", "Back to review"),
        # A modal screen hides the app's keys, so the two that work everywhere are here.
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        draft: DecisionRecord | None,
        *,
        architectural: bool,
        reasons: list[str] | None = None,
    ) -> None:
        super().__init__()
        self._draft = draft
        self._architectural = architectural
        self._reasons = list(reasons or [])

    def compose(self) -> ComposeResult:
        """The flag, the rendered draft and the footer of keys."""
        with Vertical(id="decision-dialog"):
            if self._architectural:
                because = "; ".join(self._reasons) or "the model flagged it"
                yield Label(literal(f"⚑ Architectural step: {because}"), id="decision-flag")
            with VerticalScroll(id="decision-body"):
                if self._draft is None:
                    yield Label(
                        "No decision record was drafted for this step. Press e to write one, "
                        "n to say why it is not architectural, or escape and send the step "
                        "back (r) asking for a record.",
                        id="decision-missing",
                    )
                else:
                    yield LiteralMarkdown(record_markdown(self._draft), id="decision-record")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offers only the answers that make sense for this draft."""
        if action == "record":
            return self._draft is not None
        if action == "reject":
            return self._draft is not None
        return True

    def action_record(self) -> None:
        """Records the draft as it is."""
        if self._draft is not None:
            self.dismiss(DecisionOutcome(DecisionAction.RECORD, record=self._draft))

    def action_edit(self) -> None:
        """Opens the draft's texts for editing; the edited copy becomes the draft."""

        def saved(record: DecisionRecord | None) -> None:
            if record is not None:
                self._draft = record
                self.refresh(recompose=True)
                self.refresh_bindings()

        draft = self._draft or DecisionRecord(title="", context="", outcome="")
        self.app.push_screen(DecisionEditScreen(draft), saved)

    def action_reject(self) -> None:
        """Drops the draft; a flagged step needs the reason it is not architectural."""
        if self._architectural:
            self.notify(
                "This step is flagged as architectural: record the decision (enter), "
                "or press n and say why it is not architectural.",
                severity="warning",
            )
            return
        self.dismiss(DecisionOutcome(DecisionAction.REJECT))

    def action_not_architectural(self) -> None:
        """Asks why the step is not architectural, then answers with that reason."""

        def answered(reason: str | None) -> None:
            if reason:
                self.dismiss(DecisionOutcome(DecisionAction.NOT_ARCHITECTURAL, reason=reason))

        self.app.push_screen(
            FeedbackScreen(
                "Not architectural, because …",
                placeholder="e.g. an internal helper; nothing outside this module depends on it",
            ),
            answered,
        )

    def action_cancel(self) -> None:
        """Goes back to the review without deciding."""
        self.dismiss(None)
