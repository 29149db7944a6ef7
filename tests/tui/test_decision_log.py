"""The Decisions screen, driven with the real keys."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from textual.widgets import Input, Markdown, OptionList

from slowcode.core.decision_record import DecisionStatus
from slowcode.decisions.store import DecisionStore
from slowcode.git.trailers import parse_trailers
from slowcode.tui.screens.confirm import ConfirmScreen
from slowcode.tui.screens.decision_log import DecisionLogScreen
from slowcode.tui.widgets.key_bar import KeyBar
from tests.tui.snapshot_apps.decision_log_app import DecisionLogApp, decision_log_repo

SIZE = (120, 40)


def prompts(screen: DecisionLogScreen) -> list[str]:
    options = screen.query_one("#log-records", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def shown_markdown(screen: DecisionLogScreen) -> str:
    return screen.query_one("#log-record", Markdown).source


async def open_log(app: DecisionLogApp, pilot: object) -> DecisionLogScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, DecisionLogScreen)
    return screen


async def test_lists_every_record_and_shows_the_newest(tmp_path: Path) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo", count=55))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        lines = prompts(screen)
        assert len(lines) == 56
        assert lines[0] == "0001  Decision 1: Retry with backoff  (superseded, 2026-11-21)"
        assert lines[-1] == "0056  Use PostgreSQL  (accepted, 2026-11-21)"
        text = shown_markdown(screen)
        assert text.startswith("# Use PostgreSQL")
        assert "Supersedes 0001 Decision 1: Retry with backoff" in text
        assert "Move to PostgreSQL" in text  # the commit citing it
        assert str(screen.query_one("#log-title").render()) == (
            "Decisions · docs/decisions (MADR 4)"
        )


async def test_incremental_search_and_status_filter(tmp_path: Path) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        await pilot.press("slash", *"cache")
        assert screen.query_one("#log-search", Input).value == "cache"
        assert prompts(screen) == [
            "0002  Decision 2: Cache maps  (rejected, 2026-01-02)",
            "0005  Decision 5: Cache maps  (rejected, 2026-01-05)",
            "0008  Decision 8: Cache maps  (rejected, 2026-01-08)",
            "0011  Decision 11: Cache maps  (rejected, 2026-01-11)",
        ]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("escape")  # leaves the search box, not the screen
        assert app.screen is screen
        await pilot.press("f", "f")  # all → proposed → accepted
        assert [p.split("  ")[0] for p in prompts(screen)] == [
            "0003",
            "0006",
            "0009",
            "0012",
            "0013",
        ]
        assert "status: accepted" in str(screen.query_one("#log-filter").render())
        await pilot.press("f", "f", "f", "f")  # … superseded → all
        assert len(prompts(screen)) == 13
        await pilot.press("slash", *"nothing-like-this")
        assert prompts(screen) == []
        assert shown_markdown(screen) == "No record matches “nothing-like-this”."


async def test_follows_supersede_links_both_ways(tmp_path: Path) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        await pilot.press("less_than_sign")
        assert shown_markdown(screen).startswith("# Decision 1: Retry with backoff")
        assert "Superseded by 0013 Use PostgreSQL" in shown_markdown(screen)
        await pilot.press("greater_than_sign")
        assert shown_markdown(screen).startswith("# Use PostgreSQL")


async def test_supersede_the_selected_record(tmp_path: Path) -> None:
    root = decision_log_repo(tmp_path / "repo")
    app = DecisionLogApp(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        await pilot.press("k", "k")  # 0011, rejected: cannot be superseded
        assert not screen.check_action("supersede", ())
        await pilot.press("k")  # 0010, proposed: cannot be superseded either
        assert not screen.check_action("supersede", ())
        await pilot.press("k")  # 0009, accepted
        assert screen.selected is not None and screen.selected.number == 9
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"Use a job queue", "enter")
        await pilot.pause()
        await pilot.press(*"We use a job queue.", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_markdown(screen).startswith("# Use a job queue")
    old, new = DecisionStore(root).records()[8], DecisionStore(root).records()[-1]
    assert (old.status, old.superseded_by) == (DecisionStatus.SUPERSEDED, new.path)
    assert (new.number, new.supersedes, new.outcome) == (14, old.path, "We use a job queue.")
    # Decision makers and dates are filled as when a step records a decision.
    assert new.decision_makers == ["Grace"]
    assert old.date == new.date == dt.date.today().isoformat()


async def test_an_empty_log_says_where_records_go(tmp_path: Path) -> None:
    app = DecisionLogApp(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        assert prompts(screen) == []
        assert shown_markdown(screen) == "No decision records in `docs/decisions` yet."


def footer_keys(screen: DecisionLogScreen) -> set[str]:
    """The status keys the footer offers for the selected record."""
    shown = {
        binding.key for _, binding, enabled, _ in screen.app.active_bindings.values() if enabled
    }
    return shown & {"a", "x", "d", "p"}


async def test_status_keys_follow_the_lifecycle(tmp_path: Path) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        assert screen.selected is not None and screen.selected.number == 13  # accepted
        assert footer_keys(screen) == {"d"}
        await pilot.press("k", "k")  # 0011, rejected
        assert footer_keys(screen) == {"p"}
        await pilot.press("k")  # 0010, proposed
        assert footer_keys(screen) == {"a", "x"}
        await pilot.press("d")  # refused by the lifecycle: nothing opens, nothing changes
        await pilot.pause()
        assert app.screen is screen


async def test_accepting_the_selected_record_rewrites_its_file(tmp_path: Path) -> None:
    root = decision_log_repo(tmp_path / "repo")
    app = DecisionLogApp(root)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        await pilot.press("k", "k", "k")  # 0010, proposed
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind: the file stays as it was
        await pilot.pause()
        assert DecisionStore(root).records()[9].status is DecisionStatus.PROPOSED
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.selected is not None and screen.selected.number == 10
        assert screen.selected.status is DecisionStatus.ACCEPTED
        assert "**accepted**" in shown_markdown(screen)
        assert footer_keys(screen) == {"d"}
    record = DecisionStore(root).records()[9]
    assert (record.number, record.status) == (10, DecisionStatus.ACCEPTED)
    text = (root / str(record.path)).read_text()
    assert text.startswith("---\nstatus: accepted\n")
    # The change is a commit of its own, naming the record and what was done.
    message = subprocess.run(
        ["git", "-C", str(root), "log", "-1", "--format=%B"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    trailers = parse_trailers(root, message)
    assert trailers["Decision"] == [record.path]
    assert trailers["Slowcode-Action"] == ["accepted"]


async def test_search_is_not_offered_from_the_search_box(tmp_path: Path) -> None:
    app = DecisionLogApp(decision_log_repo(tmp_path / "repo"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_log(app, pilot)
        bar = screen.query_one(KeyBar)
        assert "Search" in "\n".join(bar.shown_lines())
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(screen.focused, Input)
        assert "Search" not in "\n".join(bar.shown_lines())
