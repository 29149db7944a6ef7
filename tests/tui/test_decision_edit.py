"""Editing a decision draft before it is recorded, driven with the real keys."""

from __future__ import annotations

from textual.widgets import Markdown

from slowcode.core.decision_record import ConsideredOption, DecisionRecord
from slowcode.engine.human import DecisionAction, StepAction
from slowcode.tui.screens.decision import DecisionScreen
from slowcode.tui.screens.decision_edit import DecisionEditScreen, edited

from .samples import three_hunk_review
from .snapshot_apps.review_app import ReviewApp

SIZE = (120, 40)
NEW_TITLE = "Retry with a small helper"


async def open_editor(app: ReviewApp, pilot: object) -> DecisionScreen:
    await pilot.press("a", "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, DecisionScreen)
    await pilot.press("e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, DecisionEditScreen)
    return screen


async def test_the_edited_title_and_outcome_are_what_gets_recorded() -> None:
    review = three_hunk_review(architectural=True, with_decision=True)
    assert review.decision is not None
    original = review.decision.title
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        await pilot.press("home", "ctrl+k", *NEW_TITLE, "enter")  # enter: on to the context
        await pilot.press("tab", *"Decided: ")  # the outcome, typed before its text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        shown = screen.query_one("#decision-record", Markdown).source
        assert shown.startswith(f"# {NEW_TITLE}\n")
        assert "Decided: Wrap every request" in shown
        await pilot.press("enter")
        await pilot.pause()
    verdict = app.verdicts[0]
    assert verdict is not None
    assert (verdict.action, verdict.decision_action) == (StepAction.APPLY, DecisionAction.RECORD)
    assert verdict.decision is not None
    assert verdict.decision.title == NEW_TITLE
    assert verdict.decision.outcome.startswith("Decided: Wrap every request in `with_backoff`")
    assert verdict.decision.consequences == review.decision.consequences
    assert review.decision.title == original  # the draft itself is untouched


async def test_escape_leaves_the_draft_as_it_was_and_an_empty_title_is_refused() -> None:
    review = three_hunk_review(with_decision=True)
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        await pilot.press("home", "ctrl+k", "ctrl+s")  # no title: the dialog stays open
        await pilot.pause()
        assert isinstance(app.screen, DecisionEditScreen)
        await pilot.press(*"Something else", "escape")
        await pilot.pause()
        back_on: object = app.screen
        assert back_on is screen
        await pilot.press("enter")
        await pilot.pause()
    verdict = app.verdicts[0]
    assert verdict is not None and verdict.decision is review.decision


async def test_a_flagged_step_without_a_draft_can_have_a_record_written() -> None:
    review = three_hunk_review(architectural=True)
    app = ReviewApp(review)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        assert not screen.check_action("record", ())
        await pilot.press(*"Add a retry module", "enter", *"Imports fail under load.")
        await pilot.press("tab", *"We retry with backoff.", "ctrl+s")
        await pilot.pause()
        assert screen.check_action("record", ())
        await pilot.press("enter")
        await pilot.pause()
    verdict = app.verdicts[0]
    assert verdict is not None and verdict.decision is not None
    record = verdict.decision
    assert (record.title, record.context, record.outcome) == (
        "Add a retry module",
        "Imports fail under load.",
        "We retry with backoff.",
    )


def test_a_chosen_option_named_after_the_title_follows_a_new_title() -> None:
    draft = DecisionRecord(
        title="Use SQLite",
        context="c",
        outcome="o",
        options=[ConsideredOption("Use SQLite", pros=["no server"]), ConsideredOption("Files")],
        chosen="Use SQLite",
    )
    copy = edited(
        draft, title=" Use SQLite for sessions ", context="c", outcome="o", consequences=""
    )
    assert (copy.title, copy.chosen) == ("Use SQLite for sessions", "Use SQLite for sessions")
    assert [o.title for o in copy.options] == ["Use SQLite for sessions", "Files"]
    assert copy.options[0].pros == ["no server"]
    assert (draft.chosen, draft.options[0].title) == ("Use SQLite", "Use SQLite")
    other = DecisionRecord(title="A", context="", outcome="", chosen="B")
    assert edited(other, title="C", context="", outcome="", consequences="").chosen == "B"
