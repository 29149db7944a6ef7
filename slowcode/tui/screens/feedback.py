"""A one-line text box in a dialog: feedback for the model, a reason, a plan step."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from slowcode.tui.literal import LiteralInput, literal
from slowcode.tui.widgets.key_bar import KeyBar


class SendingInput(LiteralInput):
    """A text box whose `enter` is on the key bar, as what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "submit", "Send")]


class FeedbackScreen(ModalScreen[str | None]):
    """Asks for one line of text; dismisses with it, or with None on `escape`.

    Args:
        prompt: What the text is for, shown above the box.
        value: Text to start from (editing an existing plan step, say).
        placeholder: A hint shown while the box is empty.
    """

    CSS_PATH = "feedback.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(self, prompt: str, *, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._prompt = prompt
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        """The prompt, the text box and a one-line hint."""
        with Vertical(id="feedback-dialog"):
            yield Label(literal(self._prompt), id="feedback-prompt")
            # Typing extends a prefilled text (editing a plan step) instead of replacing it.
            yield SendingInput(
                self._value,
                placeholder=self._placeholder,
                id="feedback-input",
                select_on_focus=False,
            )
            yield Label("enter send · escape back", id="feedback-hint")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Sends the text back, unless there is none."""
        event.stop()
        text = event.value.strip()
        if not text:
            self.notify("Write something, or press escape to go back.", severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Goes back without an answer."""
        self.dismiss(None)
