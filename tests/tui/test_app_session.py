"""A whole session in the app: the real workflow and SDK against the loopback fake API."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.engine.progress import SessionState
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.review import ReviewScreen
from tests.fakeapi import (
    FakeMessagesAPI,
    fake_settings,
    http_error,
    reply,
    tool_use_block,
)
from tests.tui.app_sessions import SIZE, app_repo, plan_turn, wait_for


async def test_a_session_runs_from_task_to_commit(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path)
    fake_api.script(
        plan_turn(),
        reply(
            tool_use_block(
                "str_replace_based_edit_tool",
                {
                    "command": "str_replace",
                    "path": "app.py",
                    "old_str": "    return 'hello'\n",
                    "new_str": (
                        "    return 'hello'\n\n\ndef greet(name):\n    return f'hello {name}'\n"
                    ),
                },
            ),
            tool_use_block("finish_step", {"summary": "Adds `greet`.", "architectural": False}),
        ),
        reply("All done: `greet` exists."),
    )
    app = SlowcodeApp(
        root, Config(), fake_settings(fake_api), resume=False, initial_task="add greet"
    )
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session_screen.plan_list.reviewing)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("a", "enter")
        await wait_for(pilot, lambda: app.session_screen.status.state is SessionState.DONE)
    assert "def greet(name):" in (root / "app.py").read_text()
    log = subprocess.run(
        ["git", "log", "-1", "--format=%s"], cwd=root, capture_output=True, text=True, check=True
    )
    assert log.stdout.strip() == "Add greet"


async def test_a_failed_request_is_shown_and_retried_with_r(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path)
    fake_api.script(http_error(529, "overloaded"))
    settings = fake_settings(fake_api, max_retries=0, stream_retries=0)
    app = SlowcodeApp(root, Config(), settings, resume=False, initial_task="add greet")
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session_screen.has_class("-failed"))
        error = str(app.session_screen.query_one("#session-error").render())
        assert error.startswith("✗ ")
        assert "\n" not in error
        fake_api.script(plan_turn())
        await pilot.press("r")
        await wait_for(pilot, lambda: app.session_screen.plan_list.reviewing)
        assert not app.session_screen.has_class("-failed")


async def test_quitting_mid_request_cancels_the_workflow(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path)
    fake_api.script(plan_turn().delayed(30))
    app = SlowcodeApp(root, Config(), fake_settings(fake_api), resume=False, initial_task="x")
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(fake_api.message_requests) == 1)
        workers = list(app.workers)
        assert [worker.group for worker in workers] == ["model"]
        app.session_screen.plan_list.focus()
        await pilot.press("q")
        await pilot.pause()
    assert workers[0].is_cancelled or workers[0].is_finished
    assert not app.is_running


async def test_resuming_with_no_unfinished_session_opens_quietly(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path)
    app = SlowcodeApp(root, Config(), fake_settings(fake_api), resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session_screen.has_class("-failed")
        assert not app.session_screen.query_one("#task", Input).disabled
    assert fake_api.message_requests == []


async def test_outside_a_git_repository_the_app_says_so_in_one_line(tmp_path: Path) -> None:
    settings = ModelSettings(api_key="test-key")
    app = SlowcodeApp(tmp_path, Config(), settings, resume=True, initial_task="a task")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        assert not app.session_screen.has_class("-failed")  # nothing to resume: quiet
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session_screen.has_class("-failed")
        error = str(app.session_screen.query_one("#session-error").render())
        assert error.startswith("✗ ") and "\n" not in error
        assert "retry" not in error


async def test_u_undoes_the_last_step_after_a_confirmation(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    from slowcode.git.repo import GitRepo
    from slowcode.tui.screens.confirm import ConfirmScreen

    root = app_repo(tmp_path)
    (root / "app.py").write_text("def hello():\n    return 'hi'\n")
    step = GitRepo.open(root).commit_step(["app.py"], "Say hi", "", [("Slowcode-Session", "s")])

    def head() -> str:
        return GitRepo.open(root).head_sha() or ""

    app = SlowcodeApp(root, Config(), fake_settings(fake_api), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()  # HEAD's trailers are read in a worker
        await pilot.press("escape")  # out of the task box, to the keys
        await pilot.pause()
        assert "u Undo last step" in _bar(app)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        # The question names the step and what its undo changes.
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == (
            f'Undo "Say hi" ({step[:8]}) with a new commit that reverts app.py.'
        )
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert head() == step
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # enter is not a yes
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and head() == step
        await pilot.press("y")
        await wait_for(pilot, lambda: head() != step)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (root / "app.py").read_text() == "def hello():\n    return 'hello'\n"
        assert "undid" in "\n".join(app.session_screen.commentary.lines)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Undo" not in _bar(app)  # HEAD is the revert now: nothing left to undo


def _bar(app: SlowcodeApp) -> str:
    from slowcode.tui.widgets.key_bar import KeyBar

    return "  ".join(app.session_screen.query_one(KeyBar).shown_lines())


async def test_u_is_offered_only_when_head_is_a_step_and_also_after_a_failure(
    tmp_path: Path,
) -> None:
    from slowcode.git.repo import GitRepo

    root = app_repo(tmp_path)
    app = SlowcodeApp(root, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await pilot.pause()
        assert "h History" in _bar(app) and "Undo" not in _bar(app)  # the developer's commit

        (root / "app.py").write_text("def hello():\n    return 'hi'\n")
        GitRepo.open(root).commit_step(["app.py"], "Say hi", "", [("Slowcode-Session", "s")])
        app._check_undo()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "u Undo last step" in _bar(app)

        app.session_screen.show_failure("the model went away", retryable=True)
        await pilot.pause()
        assert "u Undo last step" in _bar(app) and "r Retry request" in _bar(app)
