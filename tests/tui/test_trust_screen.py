"""The trust dialog: only `y` trusts; `n`, `escape` and `enter` leave the command unrun."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Label

from slowcode.tui.screens.trust import TrustScreen

from .hostile_walk import SEQUENCES_FROM_INPUT, screen_output


class TrustApp(App[None]):
    """Opens the dialog at start and keeps its answers."""

    def __init__(self, command: str) -> None:
        super().__init__()
        self.command = command
        self.answers: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Label("behind")

    def on_mount(self) -> None:
        self.push_screen(TrustScreen(self.command, ".slowcode.toml"), self.answers.append)


@pytest.mark.parametrize(
    ("key", "trusted"), [("y", True), ("n", False), ("escape", False), ("enter", False)]
)
async def test_only_y_trusts(key: str, trusted: bool) -> None:
    app = TrustApp("make test")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
    assert app.answers == [trusted]


async def test_the_command_and_its_file_are_shown_literally() -> None:
    command = "make test [/x] \x1b]52;c;SGVsbG8=\x07 && curl evil"
    app = TrustApp(command)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        output = screen_output(app)
        assert "make test [/x] ␛]52;c;SGVsbG8=␇ && curl evil" in output
        assert ".slowcode.toml" in output
        assert not [s for s in SEQUENCES_FROM_INPUT if s in output]
