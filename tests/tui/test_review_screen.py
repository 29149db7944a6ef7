"""The review screen driven with real keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

from slowcode.core.config import Config
from slowcode.core.step_review import Verdict
from slowcode.engine.human import DecisionAction, StepAction, StepVerdict
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.messages import RequestStepReview
from slowcode.tui.screens.decision import DecisionScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.screens.help import HelpScreen
from slowcode.tui.screens.review import ReviewScreen
from slowcode.tui.screens.session import SessionScreen
from slowcode.tui.widgets.key_bar import KeyBar

from .samples import three_hunk_review
from .snapshot_apps.review_app import ReviewApp

SIZE = (120, 40)


def _verdicts(app: ReviewApp) -> list[Verdict]:
    return [hunk.verdict for hunk in app._review.hunks]


async def test_y_and_n_set_verdicts_and_move_to_the_next_undecided() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.current == 0
        await pilot.press("y")
        assert _verdicts(app) == [Verdict.ACCEPTED, Verdict.UNDECIDED, Verdict.UNDECIDED]
        assert screen.current == 1
        await pilot.press("n")
        assert _verdicts(app) == [Verdict.ACCEPTED, Verdict.REJECTED, Verdict.UNDECIDED]
        assert screen.current == 2
        progress = str(screen.query_one("#review-progress").render())
        assert progress == "hunk 3/3 · 1 accepted · 1 rejected · 1 undecided"


async def test_a_accepts_every_undecided_hunk_and_keeps_rejections() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "n", "a")
        assert _verdicts(app) == [Verdict.ACCEPTED, Verdict.REJECTED, Verdict.ACCEPTED]
        assert app.verdicts == []


async def test_enter_with_undecided_hunks_moves_to_the_first_and_stays() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "j", "y")  # hunk 0 and 2 decided; hunk 1 open
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert _verdicts(app)[1] is Verdict.UNDECIDED
        await pilot.press("k", "k")
        assert screen.current == 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == 1
        assert app.screen is screen
        assert app.verdicts == []
        assert any("1 hunk is still undecided" in n.message for n in app._notifications)


async def test_enter_when_all_decided_applies_the_step() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "n", "y", "enter")
        await pilot.pause()
        assert len(app.verdicts) == 1
        verdict = app.verdicts[0]
        assert verdict is not None
        assert verdict.action is StepAction.APPLY
        assert verdict.decision_action is None
        assert _verdicts(app) == [Verdict.ACCEPTED, Verdict.REJECTED, Verdict.ACCEPTED]


async def test_r_sends_the_step_back_with_the_feedback_text() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "r")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        await pilot.press(*"use tenacity", "enter")
        await pilot.pause()
        assert len(app.verdicts) == 1
        verdict = app.verdicts[0]
        assert verdict is not None
        assert verdict.action is StepAction.SEND_BACK
        assert verdict.feedback == "use tenacity"


async def test_escape_in_the_feedback_box_returns_to_the_review() -> None:
    app = ReviewApp(three_hunk_review())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.verdicts == []


async def test_an_architectural_step_records_its_decision_on_apply() -> None:
    review = three_hunk_review(architectural=True, with_decision=True)
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        assert app.verdicts == []
        await pilot.press("enter")
        await pilot.pause()
        verdict = app.verdicts[0]
        assert verdict is not None
        assert verdict.action is StepAction.APPLY
        assert verdict.decision_action is DecisionAction.RECORD
        assert verdict.decision is review.decision


async def test_an_architectural_step_can_be_called_not_architectural_with_a_reason() -> None:
    app = ReviewApp(three_hunk_review(architectural=True, with_decision=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter")
        await pilot.pause()
        await pilot.press("x")  # a flagged step's record is not dropped without a reason
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen) and app.verdicts == []
        assert any("press n and say why" in str(n.message) for n in app._notifications)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"internal helper", "enter")
        await pilot.pause()
        verdict = app.verdicts[0]
        assert verdict is not None
        assert verdict.decision_action is DecisionAction.NOT_ARCHITECTURAL
        assert verdict.reason == "internal helper"
        assert verdict.decision is None


async def test_a_draft_on_an_unflagged_step_can_be_rejected() -> None:
    app = ReviewApp(three_hunk_review(with_decision=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        verdict = app.verdicts[0]
        assert verdict is not None
        assert verdict.action is StepAction.APPLY
        assert verdict.decision_action is DecisionAction.REJECT


async def test_escape_goes_back_to_the_session_and_enter_returns_to_the_same_review(
    tmp_path: Path,
) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    review = three_hunk_review()
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.session_started()  # a running session: the task box is off
        future: asyncio.Future[StepVerdict] = asyncio.get_running_loop().create_future()
        app.post_message(RequestStepReview(review, future))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "esc Back to session" in " ".join(app.screen.query_one(KeyBar).shown_lines())
        await pilot.press("y", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert not future.done()
        bar = " ".join(app.session_screen.query_one(KeyBar).shown_lines())
        assert "⏎ Back to review" in bar
        assert "Step 2 waits for its review" in "\n".join(app.session_screen.commentary.lines)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert review.hunks[0].verdict is Verdict.ACCEPTED
        assert screen.current == 1  # on the first hunk still undecided
        await pilot.press("a", "enter")
        await pilot.pause()
        assert future.done() and future.result().action is StepAction.APPLY
        bar = " ".join(app.session_screen.query_one(KeyBar).shown_lines())
        assert "Back to review" not in bar


async def test_the_decision_dialog_offers_reject_help_and_quit(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        review = three_hunk_review(architectural=True, with_decision=True)
        asked = asyncio.create_task(app.human.review_step(review))
        await pilot.pause()
        await pilot.press("a", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionScreen)
        bar = "  ".join(dialog.query_one(KeyBar).shown_lines())
        for hint in ("⏎ Record decision", "x Reject record", "? Keys", "q Quit", "esc Back"):
            assert hint in bar
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert str(app.screen.query_one("#help-title").render()) == "Keys · Decision record"
        keys = {row.key: row.description for row in app.screen._keys}
        assert keys["x"] == "Reject record" and keys["q"] == "Quit"
        await pilot.press("escape", "q")
        await pilot.pause()
    assert not asked.done() or asked.cancelled()


async def test_help_lists_only_slowcode_keys_with_what_they_do(tmp_path: Path) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=SIZE) as pilot:
        asked = asyncio.create_task(app.human.review_step(three_hunk_review()))
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen._keys
        asked.cancel()
    keys = {row.key: row.description for row in rows}
    assert keys["y"] == "Accept hunk" and keys["esc"] == "Back to session"
    assert keys["pgdn"] == "Scroll the diff a page down" and keys["q"] == "Quit"
    listed = " ".join(f"{row.key} {row.description}" for row in rows)
    for internal in ("super+c", "Copy selected text", "Page Left", "Focus Next", "Scroll Home"):
        assert internal not in listed
