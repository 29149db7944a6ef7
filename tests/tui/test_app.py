"""The app: start-up without a model, and the engine's questions answered through it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from slowcode.core.config import Config
from slowcode.core.plan import Plan, PlanStep, StepState
from slowcode.core.step_review import Verdict
from slowcode.engine.human import Question, QuestionOption, StepAction
from slowcode.engine.progress import (
    ModelTextStreamed,
    NoticeRaised,
    PlanUpdated,
    SessionState,
    StateChanged,
    ToolCalled,
    UsageRecorded,
)
from slowcode.model.settings import ModelSettings
from slowcode.model.types import Usage
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.screens.api_key import ApiKeyScreen
from slowcode.tui.screens.decision_log import DecisionLogScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.screens.help import HelpScreen
from slowcode.tui.screens.question import QuestionScreen
from slowcode.tui.screens.review import ReviewScreen
from slowcode.tui.screens.session import CONFIGURE_HINT, SessionScreen
from slowcode.tui.widgets.key_bar import KeyBar

from .samples import three_hunk_review

SIZE = (120, 40)


def _app(root: Path, *, configured: bool = False, task: str | None = None) -> SlowcodeApp:
    settings = ModelSettings(base_url="http://127.0.0.1:9" if configured else None)
    return SlowcodeApp(root, Config(), settings, resume=False, initial_task=task)


def _plan() -> Plan:
    return Plan(
        goal="retry HTTP calls",
        steps=[
            PlanStep("Add a retry helper", "one place for the backoff"),
            PlanStep("Use it in fetch", "the only network call"),
            PlanStep("Document it", "users should know"),
        ],
    )


async def test_without_a_model_the_app_opens_and_says_how_to_configure_one(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        hint = app.screen.query_one("#configure-hint", Static)
        assert "ANTHROPIC_API_KEY" in str(hint.render())
        assert "ANTHROPIC_BASE_URL" in CONFIGURE_HINT
        assert app.theme == "textual-dark"


async def test_without_a_model_typed_keys_stay_in_the_task_box(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        task_box = app.screen.query_one("#task", Input)
        assert app.focused is task_box
        bar = "\n".join(app.screen.query_one(KeyBar).shown_lines())
        assert "⏎ Start task" in bar and "^q Quit" in bar
        assert "q Quit" not in bar.replace("^q Quit", "") and "h History" not in bar
        await pilot.press(*"fix bug; quit, undo, help? history log", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)  # a key for this run, or escape
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert task_box.value == "fix bug; quit, undo, help? history log"
        assert app.is_running
        await pilot.press("escape")  # the keyboard goes to the keys
        await pilot.pause()
        assert app.focused is not task_box
        bar = "\n".join(app.screen.query_one(KeyBar).shown_lines())
        assert "h History" in bar and "t Type a task" in bar
        await pilot.press("t", *"more")  # and back to the box, which takes the text
        await pilot.pause()
        assert app.focused is task_box
        assert task_box.value.endswith("history logmore")
        assert "t Type a task" not in "\n".join(app.screen.query_one(KeyBar).shown_lines())


async def test_a_configured_app_prefills_the_task_and_shows_no_hint(tmp_path: Path) -> None:
    app = _app(tmp_path, configured=True, task="add retries")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        task_box = app.screen.query_one("#task", Input)
        assert task_box.value == "add retries"
        assert not task_box.disabled
        assert not app.screen.query("#configure-hint")
        # The box has the keyboard, so `enter` alone starts the prefilled task.
        assert app.focused is task_box


async def test_a_step_review_request_opens_the_review_and_returns_the_verdict(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    review = three_hunk_review()
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.review_step(review))
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("y", "n", "y", "enter")
        verdict = await asyncio.wait_for(asked, 5)
        assert verdict.action is StepAction.APPLY
        assert [h.verdict for h in review.hunks] == [
            Verdict.ACCEPTED,
            Verdict.REJECTED,
            Verdict.ACCEPTED,
        ]
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_a_plan_is_edited_and_approved_on_the_session_screen(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.review_plan(_plan()))
        await pilot.pause()
        # Delete the first step, move "Document it" above "Use it in fetch".
        await pilot.press("d", "j", "K")
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press(*"Add a test - proves the retry", "enter")
        await pilot.pause()
        # Edit the last step: the box opens with "title — why".
        await pilot.press("j", "e")
        await pilot.pause()
        box = app.screen.query_one("#feedback-input", Input)
        assert box.value == "Use it in fetch — the only network call"
        await pilot.press(*" only", "enter")
        await pilot.pause()
        await pilot.press("enter")
        verdict = await asyncio.wait_for(asked, 5)
        assert verdict.approved
        assert [(s.title, s.why) for s in verdict.steps] == [
            ("Document it", "users should know"),
            ("Add a test", "proves the retry"),
            ("Use it in fetch", "the only network call only"),
        ]


async def test_a_plan_sent_back_carries_the_feedback(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.review_plan(_plan()))
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"fewer steps", "enter")
        verdict = await asyncio.wait_for(asked, 5)
        assert not verdict.approved
        assert verdict.feedback == "fewer steps"
        # Outside a review the plan keys are off again.
        assert app.screen.query_one("#plan").check_action("approve", ()) is False


async def test_question_returns_the_chosen_option(tmp_path: Path) -> None:
    app = _app(tmp_path)
    question = Question(
        "Which retry library?",
        [QuestionOption("tenacity", "a new dependency"), QuestionOption("own helper", "20 lines")],
    )
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.answer_question(question))
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        app.screen.query_one("#question-options").focus()
        await pilot.press("down", "enter")
        answer = await asyncio.wait_for(asked, 5)
        assert (answer.answer, answer.option) == ("own helper", 1)


async def test_question_returns_free_text(tmp_path: Path) -> None:
    app = _app(tmp_path)
    question = Question("Which retry library?", [QuestionOption("tenacity")])
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.answer_question(question))
        await pilot.pause()
        app.screen.query_one("#question-answer").focus()
        await pilot.press(*"neither, use httpx retries", "enter")
        answer = await asyncio.wait_for(asked, 5)
        assert (answer.answer, answer.option) == ("neither, use httpx retries", None)


async def test_progress_events_reach_the_plan_commentary_and_status_line(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        plan = _plan()
        plan.steps[0].state = StepState.APPLIED
        plan.steps[1].state = StepState.IN_PROGRESS
        for event in (
            StateChanged(SessionState.STEP_WORKING),
            ModelTextStreamed("Reading the "),
            ModelTextStreamed("client."),
            ToolCalled("str_replace_based_edit_tool", "view src/client.py"),
            UsageRecorded(Usage(10, 5), Usage(1200, 340, 0, 800), 0.0123),
            PlanUpdated(plan),
            NoticeRaised("warning", "overloaded: retrying in 2 s"),
        ):
            app._report(event)
        await pilot.pause()
        screen = app.session_screen
        assert list(screen.commentary.lines[:2]) == [
            "Reading the client.",
            "→ view src/client.py",
        ]
        status = str(screen.status.render())
        assert "step working" in status
        assert "1.2k in" in status and "340 out" in status
        assert "$0.0123" in status and "retrying in 2 s" in status
        assert "cache 800 read" in screen.status.variants()[0]  # left out at 120 columns
        plan_list = screen.plan_list
        rows = [plan_list.render_line(y).text.strip() for y in range(plan_list.size.height)]
        steps = [row for row in rows if row and row[0] in "✓▶○"]
        assert steps[0].startswith("✓ 1. Add a retry helper")
        assert steps[1].startswith("▶ 2. Use it in fetch")
        assert steps[2].startswith("○ 3. Document it")


async def test_help_lists_the_keys_of_the_screen_beneath(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.review_step(three_hunk_review()))
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {row.key: row.description for row in app.screen._keys}
        assert keys["y"] == "Accept hunk"
        assert keys["r"] == "Send back"
        assert keys["q"] == "Quit"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert not asked.done()


async def test_the_decision_log_lists_record_titles_from_the_files(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    (folder / "0001-use-madr.md").write_text(
        "---\nstatus: accepted\n---\n\n# Use MADR for decisions\n\nBody one.\n"
    )
    (folder / "0002-retry.md").write_text("# 2. Retry with backoff\n\n## Status\n\nProposed\n")
    (folder / "README.md").write_text("# Not a record\n")
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DecisionLogScreen)
        options = screen.query_one("#log-records", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == [
            "0001  Use MADR for decisions  (accepted)",
            "0002  Retry with backoff  (proposed)",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_q_quits(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "q")  # out of the task box, then quit
        await pilot.pause()
        assert not app.is_running


async def test_letters_typed_in_the_task_box_stay_there(tmp_path: Path) -> None:
    app = _app(tmp_path, configured=True)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#task", Input).focus()
        await pilot.press("q", "l")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.query_one("#task", Input).value == "ql"


async def test_the_closing_summary_is_said_once(tmp_path: Path) -> None:
    from slowcode.engine.progress import SessionFinished

    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for summary in ("Done: greetings are polite.", "Greetings are polite."):
            app._report(SessionFinished(summary))
        # Streamed just before the session ends, the summary is not written out again.
        app._report(StateChanged(SessionState.STEP_WORKING))
        app._report(ModelTextStreamed("Both steps are "))
        app._report(ModelTextStreamed("applied."))
        app._report(StateChanged(SessionState.DONE))
        app._report(SessionFinished("Both steps are applied."))
        await pilot.pause()
        lines = list(app.session_screen.commentary.lines)
        said = [line for line in lines if "olite" in line or "applied" in line]
        assert said == [
            "Done: greetings are polite.",
            "Done. Greetings are polite.",
            "Both steps are applied.",
        ]
        assert [line for line in lines if line.strip()][-1] == "✓ Done."


async def test_the_palette_reaches_history_and_lists_keys_once(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1
        assert "History" in titles and "Decision log" in titles


async def test_moving_a_step_is_offered_only_where_it_can_move(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.review_plan(_plan()))
        await pilot.pause()
        bar = app.session_screen.query_one(KeyBar)

        def offered() -> dict[str, bool]:
            return {hint.description: hint.enabled for hint in bar.hints()}

        await pilot.pause()
        assert offered()["Move down"] and not offered().get("Move up", False)
        await pilot.press("j")
        await pilot.pause()
        assert offered()["Move up"] and offered()["Move down"]
        await pilot.press("j")
        await pilot.pause()
        assert offered()["Move up"] and not offered().get("Move down", False)
        asked.cancel()
