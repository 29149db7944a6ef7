"""A dialog that edits a decision draft's title, context, outcome and consequences."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea

from slowcode.core.decision_record import DecisionRecord
from slowcode.tui.literal import LiteralInput
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.literal_text_area import LiteralTextArea

# The sections edited in text areas: (record field, label).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("context", "Context and problem"),
    ("outcome", "Decision (outcome)"),
    ("consequences", "Consequences"),
)


def edited(
    draft: DecisionRecord, *, title: str, context: str, outcome: str, consequences: str
) -> DecisionRecord:
    """A copy of `draft` with the edited texts; the draft itself is left as it was.

    A draft made from `finish_step` names its chosen option after its title; when
    the title changes, that option and `chosen` follow it, so the record does not
    choose an option under the old name.
    """
    title = title.strip()
    options = [dataclasses.replace(option) for option in draft.options]
    chosen = draft.chosen
    if draft.chosen and draft.chosen == draft.title and title != draft.title:
        for option in options:
            if option.title == draft.chosen:
                option.title = title
        chosen = title
    return dataclasses.replace(
        draft,
        title=title,
        context=context.strip(),
        outcome=outcome.strip(),
        consequences=consequences.strip(),
        options=options,
        chosen=chosen,
        decision_makers=list(draft.decision_makers),
    )


class DecisionEditScreen(ModalScreen[DecisionRecord | None]):
    """The draft's texts in a form; dismisses with the edited copy, or None on `escape`.

    Args:
        draft: The record to start from (an empty one to write a record from scratch).
    """

    CSS_PATH = "decision_edit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save draft", priority=True),
        Binding("escape", "cancel", "Back", priority=True),
    ]

    def __init__(self, draft: DecisionRecord) -> None:
        super().__init__()
        self._draft = draft

    def compose(self) -> ComposeResult:
        """The title box, one text area per section, and a one-line hint."""
        with Vertical(id="decision-edit-dialog"):
            with VerticalScroll(id="decision-edit-form"):
                yield Label("Title", classes="decision-edit-label")
                yield LiteralInput(
                    self._draft.title, id="decision-edit-title", select_on_focus=False
                )
                for name, label in SECTIONS:
                    yield Label(label, classes="decision-edit-label")
                    yield LiteralTextArea(
                        getattr(self._draft, name),
                        id=f"decision-edit-{name}",
                        soft_wrap=True,
                        tab_behavior="focus",
                    )
            yield Label(
                "tab next field · ctrl+s keep these edits · escape back without changes",
                id="decision-edit-hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        """Puts the cursor in the title box."""
        self.query_one("#decision-edit-title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """`enter` in the title box moves on to the context."""
        event.stop()
        self.query_one("#decision-edit-context", TextArea).focus()

    def action_save(self) -> None:
        """Dismisses with the edited copy; a record needs a title (its file name)."""
        title = self.query_one("#decision-edit-title", Input).value
        if not title.strip():
            self.notify("A decision record needs a title.", severity="warning")
            self.query_one("#decision-edit-title", Input).focus()
            return
        texts = {
            name: self.query_one(f"#decision-edit-{name}", TextArea).text for name, _ in SECTIONS
        }
        self.dismiss(edited(self._draft, title=title, **texts))

    def action_cancel(self) -> None:
        """Dismisses without an edit."""
        self.dismiss(None)
