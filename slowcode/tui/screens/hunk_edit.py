"""A dialog that edits one hunk's new side in a text editor."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from slowcode.tui.literal import literal_line
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.literal_text_area import LiteralTextArea


class HunkEditScreen(ModalScreen[str | None]):
    """Holds the hunk's new side in a `TextArea`; dismisses with the edited text or None.

    Args:
        title: What is edited, e.g. ``src/app.py @@ -3,4 +3,5 @@``.
        text: The hunk's new side, as the editor shows it (no final line ending).
    """

    CSS_PATH = "hunk_edit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save edit", priority=True),
        Binding("escape", "cancel", "Back", priority=True),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self._title = title
        self._text = text

    def compose(self) -> ComposeResult:
        """The title, the editor and a one-line hint."""
        with Vertical(id="hunk-edit-dialog"):
            yield Label(literal_line(f"Edit {self._title}"), id="hunk-edit-title")
            yield LiteralTextArea(
                self._text,
                id="hunk-edit-text",
                show_line_numbers=True,
                soft_wrap=False,
                tab_behavior="indent",
            )
            yield Label(
                "ctrl+s accept the edited text · escape back without changes",
                id="hunk-edit-hint",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        """Puts the cursor in the editor."""
        self.text_area.focus()

    @property
    def text_area(self) -> TextArea:
        """The editor."""
        return self.query_one("#hunk-edit-text", TextArea)

    def action_save(self) -> None:
        """Dismisses with the edited text."""
        self.dismiss(self.text_area.text)

    def action_cancel(self) -> None:
        """Dismisses without an edit."""
        self.dismiss(None)
