"""A confirmation shows its whole question, however narrow the terminal."""

from __future__ import annotations

from textual.app import App

from slowcode.tui.screens.confirm import ConfirmScreen

QUESTION = (
    "Mark 0001 “Store the to-do list as a versioned JSON document” as deprecated? "
    "(accepted now; docs/decisions/0001-store-the-to-do-list.md is rewritten and committed)"
)


class ConfirmApp(App[None]):
    """Opens one confirmation and keeps its answer."""

    answers: list[bool | None]

    def on_mount(self) -> None:
        self.answers = []
        self.push_screen(ConfirmScreen(QUESTION), self.answers.append)


async def test_a_long_question_wraps_instead_of_being_cut() -> None:
    app = ConfirmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        question = app.screen.query_one("#confirm-question")
        text = " ".join(question.render_line(y).text.strip() for y in range(question.size.height))
        assert " ".join(text.split()) == " ".join(QUESTION.split())
        assert question.size.height > 1
        await pilot.press("y")
        await pilot.pause()
    assert app.answers == [True]


async def test_the_reminder_goes_with_the_dialog() -> None:
    app = ConfirmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # not an answer: the dialog reminds
        await pilot.pause()
        assert any("Press y" in note.message for note in app._notifications)
        await pilot.press("n")
        await pilot.pause()
        assert not list(app._notifications)
    assert app.answers == [False]
