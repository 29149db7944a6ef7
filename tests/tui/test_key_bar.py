"""The key bar: the keys that work now, wrapped to the width, clickable."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from slowcode.tui.widgets.key_bar import KeyBar, is_typed_key


class KeysApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "accept", "Accept hunk"),
        Binding("n", "reject", "Reject hunk"),
        Binding("a", "accept_all", "Accept all"),
        Binding("x", "hidden", "Hidden", show=False),
        Binding("enter", "apply", "Apply step"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.nothing_to_accept = False

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_all" and self.nothing_to_accept:
            return None  # shown, but disabled
        return True

    def action_accept(self) -> None:
        self.pressed.append("accept")

    def action_reject(self) -> None:
        self.pressed.append("reject")

    def action_accept_all(self) -> None:
        self.pressed.append("accept_all")

    def action_apply(self) -> None:
        self.pressed.append("apply")


async def test_the_bar_lists_shown_keys_once_with_what_they_do() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        hints = [(hint.display, hint.description) for hint in bar.hints()]
        assert hints[:4] == [
            ("y", "Accept hunk"),
            ("n", "Reject hunk"),
            ("a", "Accept all"),
            ("⏎", "Apply step"),
        ]
        assert all(description != "Hidden" for _, description in hints)
        assert bar.size.height == 1


async def test_a_disabled_key_is_listed_as_disabled_and_the_bar_follows_changes() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        assert {hint.key: hint.enabled for hint in bar.hints()}["a"] is True
        app.nothing_to_accept = True
        app.refresh_bindings()
        await pilot.pause()
        assert {hint.key: hint.enabled for hint in bar.hints()}["a"] is False


async def test_a_narrow_bar_wraps_instead_of_cutting_keys_off() -> None:
    app = KeysApp()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        assert bar.size.height >= 2
        text = "\n".join(bar.shown_lines())
        for description in ("Accept hunk", "Reject hunk", "Accept all", "Apply step"):
            assert description in text
        assert all(len(line) <= bar.content_size.width for line in bar.shown_lines())


async def test_clicking_a_key_presses_it() -> None:
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        line = bar.shown_lines()[0]
        # Offsets are within the bar, which has one cell of padding on the left.
        assert await pilot.click(KeyBar, offset=(1 + line.index("Reject"), 0))
        await pilot.pause()
        assert app.pressed == ["reject"]


class TypingApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Input()
        yield KeyBar()


async def test_letter_keys_are_not_offered_while_typing() -> None:
    app = TypingApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert "q" not in {hint.key for hint in app.query_one(KeyBar).hints()}
        app.set_focus(None)
        await pilot.pause()
        assert "q" in {hint.key for hint in app.query_one(KeyBar).hints()}


async def test_a_bar_with_more_keys_than_three_lines_keeps_help_and_says_it_is_cut(
    tmp_path: Path,
) -> None:
    import asyncio

    from slowcode.core.config import Config
    from slowcode.model.settings import ModelSettings
    from slowcode.tui.app import SlowcodeApp

    from .samples import three_hunk_review

    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=(60, 15)) as pilot:
        asked = asyncio.create_task(app.human.review_step(three_hunk_review()))
        await pilot.pause()
        lines = app.screen.query_one(KeyBar).shown_lines()
        asked.cancel()
    assert len(lines) == 3
    assert lines[-1].endswith("? Keys  …")
    text = "  ".join(lines)
    for kept in ("y Accept hunk", "⏎ Apply step", "esc Back to session", "q Quit"):
        assert kept in text
    assert "^q" not in text  # `q` works here, so the plainer key is the one shown


def test_printable_keys_count_as_typed_and_the_rest_do_not() -> None:
    typed = ["y", "slash", "question_mark", "greater_than_sign", "minus", "space", "backslash"]
    commands = ["enter", "escape", "tab", "ctrl+s", "pageup", "f1", "shift+tab"]
    assert [key for key in typed if not is_typed_key(key)] == []
    assert [key for key in commands if is_typed_key(key)] == []
