"""The task box: where a task is typed, and where the running session's task is shown."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from slowcode.tui.literal import LiteralInput


class TaskBox(LiteralInput):
    """The task box: `enter` starts the task, `escape` hands the keyboard to the keys.

    A task longer than the box shows its start, whether typed, prefilled or shown
    for a running session: the start says what the task is.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Start task"),
        Binding("escape", "leave", "Leave the box"),
    ]

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        # Not selected on focus: a selection puts the cursor, and the view, at the end.
        super().__init__(value, placeholder=placeholder, id=id, select_on_focus=False)

    def on_mount(self) -> None:
        """A prefilled task shows its start."""
        if self.value:
            self.show_start()

    def show_start(self) -> None:
        """Puts the cursor, and so the view, at the start of the task."""
        self.cursor_position = 0
        self.scroll_to(0, animate=False, immediate=True)

    def show_task(self, task: str) -> None:
        """Shows a running session's task, read-only, from its start."""
        self.value = task
        self.disabled = True
        self.show_start()

    def action_leave(self) -> None:
        """Moves the focus to the plan, where single-letter keys act."""
        self.screen.query_one("#plan").focus()
