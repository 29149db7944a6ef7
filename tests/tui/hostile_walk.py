"""A whole session in the app where everything from outside is hostile, and what the screens sent.

The model's commentary, the plan, the step's explanation, a file's name and
lines, the decision draft, a question and the check's output all carry markup,
an ``@click`` action, terminal escape sequences (OSC 52, CSI, a C1 CSI, BEL),
a right-to-left override and a lone surrogate. The walk visits every screen;
at each, the bytes the screen would send to the terminal are rendered and
checked: none of the input's control sequences is there, and its text is
shown exactly, made visible.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.core.literal import visible_line
from slowcode.core.session_state import SessionState
from slowcode.tui.app import SlowcodeApp
from tests.fakeapi import FakeMessagesAPI, Turn, fake_settings, reply, tool_use_block

SIZE = (220, 60)

CLICK = "[@click=screen.accept_all]Guard stock values[/]"
"""Markup that would make a click on the text accept every hunk."""

HOSTILE_PIECES: tuple[str, ...] = (
    "[/x]",
    CLICK,
    "list[int]",
    "[b]not bold[/b]",
    "\x1b]52;c;SGVsbG8=\x07",  # OSC 52: sets the clipboard
    "\x1b[2J\x1b[6n",  # clears the screen; asks the terminal to answer
    "\x9b6n",  # the same request with the C1 CSI
    "\x07",
    "\u202eevil",  # right-to-left override
    "\ud800",  # a lone surrogate
)

SEQUENCES_FROM_INPUT: tuple[str, ...] = (
    "\x1b]52",
    "\x1b[2J",
    "\x1b[6n",
    "\x9b",
    "\x07",
    "\u202e",
    "\ud800",
)
"""What must never reach the terminal, because only the input holds it."""


def hostile(label: str, pieces: tuple[str, ...] = HOSTILE_PIECES) -> str:
    """One line naming where it is shown, then every hostile piece."""
    return f"{label} " + " ".join(pieces)


def shown(text: str) -> str:
    """How `text` reads on screen."""
    return visible_line(text)


_OWN_SEQUENCE = re.compile(r"\x1b\[[0-9;:]*[mHK]")


def screen_output(app: App[Any]) -> str:
    """What the current screen would send to the terminal if drawn in full now."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def screen_text(output: str) -> str:
    """The screen's text: the output without the style and cursor sequences Textual writes."""
    return _OWN_SEQUENCE.sub("\n", output)


SHOWN_PIECES: tuple[str, ...] = (
    CLICK,
    "list[int]",
    "[b]not bold[/b]",
    "␛]52;c;SGVsbG8=␇",
    "␛[2J␛[6n",
    "␛[6n ␇",
    "⟨U+202E⟩evil",
)
"""How the hostile pieces read on screen."""


def assert_inert(app: SlowcodeApp, *expected: str, hostile_shown: bool = True) -> str:
    """Checks the current screen: no control sequence from the input, and `expected` shown.

    With `hostile_shown`, every piece of `HOSTILE_PIECES` must be on screen too, made visible.
    """
    output = screen_output(app)
    leaked = [sequence for sequence in SEQUENCES_FROM_INPUT if sequence in output]
    assert not leaked, f"{type(app.screen).__name__} sent {leaked!r} to the terminal"
    text = screen_text(output)
    for piece in (*expected, *(SHOWN_PIECES if hostile_shown else ())):
        assert piece in text, f"{type(app.screen).__name__} does not show {piece!r}"
    return text


def repository(path: Path, file_name: str) -> Path:
    """A git repository with one committed file."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Dev")
    git("config", "user.email", "dev@example.invalid")
    (path / file_name).write_text("first line\n", encoding="utf-8")
    git("add", "--", file_name)
    git("commit", "-q", "-m", "initial")
    return path


def without_surrogates(text: str) -> str:
    """`text` without lone surrogates (the SDK refuses a tool input that holds one)."""
    return "".join(char for char in text if not 0xD800 <= ord(char) < 0xE000)


def tool_pieces(pieces: tuple[str, ...]) -> tuple[str, ...]:
    """`pieces` as a tool input can carry them: without lone surrogates."""
    return tuple(without_surrogates(piece) for piece in pieces)


def hostile_turns(text_pieces: tuple[str, ...], file_name: str) -> list[Turn]:
    """The model's side of the session: every text it sends is hostile.

    The SDK refuses a tool input holding a lone surrogate as invalid JSON (the
    malformed-input path answers that), so tool inputs carry every piece but those.
    """
    pieces = tool_pieces(text_pieces)
    title = hostile("Title", pieces)
    return [
        reply(
            hostile("Commentary", text_pieces),
            tool_use_block(
                "propose_plan",
                {
                    "goal": hostile("Goal", pieces),
                    "steps": [{"title": title, "why": hostile("Why", pieces)}],
                },
            ),
        ),
        reply(
            tool_use_block(
                "ask_human",
                {
                    "question": hostile("Question", pieces),
                    "options": [
                        {
                            "label": hostile("Option", pieces),
                            "consequences": hostile("Then", pieces),
                        }
                    ],
                },
            ),
        ),
        reply(
            hostile("More", text_pieces),
            tool_use_block(
                "str_replace_based_edit_tool",
                {
                    "command": "str_replace",
                    "path": file_name,
                    "old_str": "first line\n",
                    # A NUL makes the file binary, and the edit is refused as such.
                    "new_str": "first line\n" + hostile("Line", pieces).replace("\0", "") + "\n",
                },
            ),
            tool_use_block(
                "finish_step",
                {
                    "summary": hostile("Summary", pieces) + " [a link](https://example.invalid)",
                    "architectural": True,
                    "decision": {
                        "title": hostile("Decision", pieces),
                        "context": hostile("Context", pieces),
                        "decision": hostile("Outcome", pieces),
                        "consequences": hostile("Consequences", pieces),
                    },
                },
            ),
        ),
        reply(hostile("Finally", text_pieces)),
    ]


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 600) -> None:
    """Waits (up to about thirty seconds: the machine may be busy) for `condition`."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    app = pilot.app
    errors = [repr(worker.error) for worker in app.workers if worker.error is not None]
    screen = type(app.screen).__name__
    raise AssertionError(f"condition never became true on {screen}; worker errors: {errors}")


async def walk(root: Path, fake_api: FakeMessagesAPI, pieces: tuple[str, ...]) -> None:
    """Runs the hostile session through every screen, checking each one."""
    from slowcode.tui.screens.decision import DecisionScreen
    from slowcode.tui.screens.decision_edit import DecisionEditScreen
    from slowcode.tui.screens.decision_log import DecisionLogScreen
    from slowcode.tui.screens.help import HelpScreen
    from slowcode.tui.screens.history import HistoryScreen
    from slowcode.tui.screens.hunk_edit import HunkEditScreen
    from slowcode.tui.screens.question import QuestionScreen
    from slowcode.tui.screens.review import ReviewScreen

    file_name = "notes [x] [on red]red [@click=app.quit]go.txt"
    repository(root, file_name)
    fake_api.script(*hostile_turns(pieces, file_name))
    pieces = tool_pieces(pieces)  # what the plan, the step and the draft carry
    # The check's output is hostile too (a command from the test's own configuration).
    check = "printf 'check \\033]52;c;SGVsbG8=\\007 [/x] \\033[2J\\n'"
    task = hostile("Task", pieces)
    app = SlowcodeApp(
        root, Config(check_command=check), fake_settings(fake_api), resume=False, initial_task=task
    )
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        session = app.session_screen
        await wait_for(pilot, lambda: session.plan_list.reviewing)
        assert_inert(app, "Title [/x]", "Commentary [/x]")

        await pilot.press("enter")  # approve the plan
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert_inert(app, "Option [/x]")
        await pilot.press("enter")  # the first option

        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.pause()
        assert_inert(app, "Title [/x]", shown(file_name), "Line [/x]")
        # A click on the words that read like a link does nothing.
        title = str(review.query_one("#review-title").render())
        column = title.find("Guard stock values")
        if column >= 0:
            await pilot.click("#review-title", offset=(column + 1, 0))
            await pilot.pause()
        assert review.review.undecided == len(review.review.hunks) > 0

        await pilot.press("e")  # the hunk's new side in an editor
        if any("\r" in piece for piece in pieces):
            # An editor would lose a carriage return inside a line: `e` says so instead.
            await wait_for(pilot, lambda: bool(app._notifications))
            assert "carriage returns" in list(app._notifications)[-1].message
            assert app.screen is review
        else:
            await wait_for(pilot, lambda: isinstance(app.screen, HunkEditScreen))
            await pilot.pause()
            assert_inert(app, shown(file_name), "Line [/x]")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is review)

        await pilot.press("a", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.pause()
        assert_inert(app, "Decision [/x]", "Context [/x]")
        decision = app.screen
        await pilot.press("e")  # the draft's texts in editors
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionEditScreen))
        await pilot.pause()
        assert_inert(app, "Decision [/x]", "Context [/x]")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is decision)
        await pilot.press("enter")  # record it; the step is applied and checked

        await wait_for(pilot, lambda: session.status.state is SessionState.DONE)
        await pilot.pause()
        assert_inert(app, "Finally [/x]")
        # The check's output, made visible; a long closing text may have scrolled it away.
        assert any("check ␛]52;c;SGVsbG8=␇ [/x] ␛[2J" in line for line in session.commentary.lines)
        session.plan_list.focus()

        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_inert(app, "Task [/x]", "Title [/x]")
        await pilot.press("escape")

        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionLogScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_inert(app, "Decision [/x]")

        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert_inert(app, hostile_shown=False)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is session
