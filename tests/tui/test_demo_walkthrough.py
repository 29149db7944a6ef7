"""The offline demo walked with the keys of the product only, in the real app (Pilot)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from slowcode.core.config import Config
from slowcode.core.step_review import StepReview
from slowcode.demo.runner import RecordedSession, create_sample_repository, load_session, serve
from slowcode.demo.server import DemoServer
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.review import ReviewScreen

SIZE = (120, 40)


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    for _ in range(1500):  # generous: the machine may be busy
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def current_review(app: SlowcodeApp) -> StepReview:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen.review


def screen_name(app: SlowcodeApp) -> str:
    return type(app.screen).__name__


def demo_app(session: RecordedSession, server: DemoServer, repo: Path) -> SlowcodeApp:
    """The app on the demo's repository, talking to its recorded model, task prefilled."""
    settings = ModelSettings(
        model=session.model, api_key="demo", base_url=server.base_url, timeout_seconds=10
    )
    return SlowcodeApp(repo, Config(model=session.model), settings, initial_task=session.task)


async def test_the_demo_ends_in_two_commits_and_one_decision_record(tmp_path: Path) -> None:
    session = load_session()
    repo = create_sample_repository(tmp_path / "sample")
    with serve(session) as server:
        app = demo_app(session, server, repo)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")  # start the prefilled task
            plan_ready = lambda: app.session_screen.plan_list.reviewing  # noqa: E731
            await wait_until(pilot, plan_ready, "the plan")
            await pilot.press("enter")  # approve the plan
            for step in (1, 2):
                await wait_until(pilot, lambda: screen_name(app) == "ReviewScreen", "a review")
                await pilot.press("a")  # accept every hunk
                await pilot.pause()
                await pilot.press("enter")  # apply
                if step == 2:
                    await wait_until(
                        pilot, lambda: screen_name(app) == "DecisionScreen", "the decision"
                    )
                    await pilot.press("enter")  # record the decision
                await wait_until(
                    pilot, lambda: screen_name(app) != "DecisionScreen", "the review to close"
                )
            await wait_until(
                pilot,
                lambda: app.workflow is not None and str(app.workflow.session.state) == "done",
                "the end of the session",
            )
            # The task box looks ready for the next task, so it has the keyboard.
            task_box = app.session_screen.query_one("#task")
            await wait_until(pilot, lambda: app.focused is task_box, "the task box's focus")
            commentary = app.session_screen.commentary
            # The model's streamed explanation is wrapped, never cut at the right edge.
            width = commentary.scrollable_content_region.width
            assert commentary.lines and max(len(line) for line in commentary.lines) <= width

    subjects = git(repo, "log", "--format=%s").splitlines()
    assert len(subjects) == 3
    records = sorted((repo / "docs/decisions").glob("0001-*.md"))
    assert len(records) == 1
    first = git(repo, "log", "-1", "--skip=1", "--format=%(trailers:only)")
    last = git(repo, "log", "-1", "--format=%(trailers:only)")
    for trailers, step in ((first, 1), (last, 2)):
        assert f"Slowcode-Step: {step}" in trailers
        assert "Slowcode-Session: " in trailers
        assert f"Assisted-by: slowcode:{session.model}" in trailers
    assert "Decision:" not in first
    assert f"Decision: {records[0].relative_to(repo).as_posix()}" in last
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""


async def test_the_demo_answers_why_and_send_backs_and_still_ends_in_two_commits(
    tmp_path: Path,
) -> None:
    session = load_session()
    repo = create_sample_repository(tmp_path / "sample")
    with serve(session) as server:
        app = demo_app(session, server, repo)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            plan_ready = lambda: app.session_screen.plan_list.reviewing  # noqa: E731
            await wait_until(pilot, plan_ready, "the plan")
            await pilot.press("r")  # send the plan back
            await wait_until(pilot, lambda: screen_name(app) == "FeedbackScreen", "feedback")
            await pilot.press(*"fewer steps", "enter")
            resent = lambda: any(  # noqa: E731
                "Recorded demo" in line for line in app.session_screen.commentary.lines
            )
            await wait_until(pilot, resent, "the plan proposed again")
            await wait_until(pilot, plan_ready, "the plan again")
            await pilot.press("enter")
            for step in (1, 2):
                await wait_until(pilot, lambda: screen_name(app) == "ReviewScreen", "a review")
                review = current_review(app)
                await pilot.press("w")
                answered = lambda first=review.hunks[0]: bool(first.why)  # noqa: E731
                await wait_until(pilot, answered, "the answer to why")
                assert review.hunks[0].why in session.why.values()
                if step == 1:
                    await pilot.press("r")  # send the step back
                    await wait_until(
                        pilot, lambda: screen_name(app) == "FeedbackScreen", "feedback"
                    )
                    await pilot.press(*"keep the old name", "enter")
                    again = lambda old=review: (  # noqa: E731
                        screen_name(app) == "ReviewScreen" and current_review(app) is not old
                    )
                    await wait_until(pilot, again, "the step again")
                await pilot.press("a")
                await pilot.pause()
                await pilot.press("enter")
                if step == 2:
                    await wait_until(
                        pilot, lambda: screen_name(app) == "DecisionScreen", "the decision"
                    )
                    await pilot.press("enter")
                await wait_until(
                    pilot, lambda: screen_name(app) != "DecisionScreen", "the review to close"
                )
            await wait_until(
                pilot,
                lambda: app.workflow is not None and str(app.workflow.session.state) == "done",
                "the end of the session",
            )
        assert server.remaining == 0
    assert len(git(repo, "log", "--format=%s").splitlines()) == 3
    assert len(sorted((repo / "docs/decisions").glob("0001-*.md"))) == 1
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""


async def test_the_demo_ends_without_a_record_when_the_step_is_not_architectural(
    tmp_path: Path,
) -> None:
    session = load_session()
    repo = create_sample_repository(tmp_path / "sample")
    with serve(session) as server:
        app = demo_app(session, server, repo)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.session_screen.plan_list.reviewing, "the plan")
            await pilot.press("enter")
            seen: list[StepReview] = []
            for step in (1, 2):
                fresh = lambda: (  # noqa: E731
                    screen_name(app) == "ReviewScreen"
                    and all(current_review(app) is not old for old in seen)
                )
                await wait_until(pilot, fresh, f"the review of step {step}")
                seen.append(current_review(app))
                await pilot.press("a")
                await pilot.pause()
                await pilot.press("enter")
            await wait_until(pilot, lambda: screen_name(app) == "DecisionScreen", "the decision")
            await pilot.press("n")
            await wait_until(pilot, lambda: screen_name(app) == "FeedbackScreen", "the reason")
            await pilot.press(*"only this tool reads the file", "enter")
            await wait_until(
                pilot,
                lambda: app.workflow is not None and str(app.workflow.session.state) == "done",
                "the end of the session",
            )
            said = " ".join(app.session_screen.commentary.lines)
        assert server.remaining == 0
    assert "No decision record was written" in " ".join(said.split())
    assert "decision log" not in said
    assert len(git(repo, "log", "--format=%s").splitlines()) == 3
    assert not list((repo / "docs/decisions").glob("0001-*.md"))
