"""The refused-commit dialog: the output in full; only `y` confirms a commit without hooks."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from slowcode.engine.human import CommitChoice, RefusedCommit
from slowcode.tui.screens.refused_commit import RefusedCommitScreen, WithoutHooksScreen

OUTPUT = "".join(f"hook line {n}\n" for n in range(60)) + "[red]not markup[/red]\n"


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.choices: list[CommitChoice | None] = []

    def on_mount(self) -> None:
        refused = RefusedCommit(1, "Greet politely", OUTPUT, "-old\n+new\n")
        self.push_screen(RefusedCommitScreen(refused), self.choices.append)


async def test_the_output_is_shown_in_full_and_literally() -> None:
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#refused-text", Static).render())
        assert "hook line 0" in text and "hook line 59" in text
        assert "[red]not markup[/red]" in text
        await pilot.press("r")
        await pilot.pause()
    assert app.choices == [CommitChoice.RETRY]


async def test_send_back_is_one_key() -> None:
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
    assert app.choices == [CommitChoice.SEND_BACK]


async def test_enter_never_commits_without_hooks_and_y_does() -> None:
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WithoutHooksScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefusedCommitScreen) and app.choices == []
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.choices == [CommitChoice.WITHOUT_HOOKS]
