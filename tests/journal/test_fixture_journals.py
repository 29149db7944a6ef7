"""Journals written before events were typed still verify, tell their history and resume.

The fixtures under tests/fixtures/journals/ were written by real scripted sessions
(tests/journal_fixtures.py) with the code of their day; `expected.json` holds what
that code derived from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.journal.log import latest_unfinished, read_events, verify
from tests.fakeapi import FakeMessagesAPI
from tests.journal_fixtures import (
    NAMES,
    app_repo,
    expected,
    history_json,
    install,
    resume_stopped,
)


@pytest.mark.parametrize("name", NAMES)
def test_a_fixture_journal_verifies_and_holds_what_it_held(name: str, tmp_path: Path) -> None:
    folder = install(name, tmp_path)
    assert verify(folder) == (True, f"{len(expected(name)['kinds'])} events, chain intact")
    assert [event["type"] for event in read_events(folder)] == expected(name)["kinds"]


# The histories' `cost_usd` is the one figure the code of today derives differently:
# history re-prices each answer at today's list prices, and the fixtures' sessions ran
# on Sonnet 5.5, now $2 input and $10 output per million (it was priced at $3 / $15).
# Every answer used 12 input and 7 output tokens: 12 × 2 + 7 × 10 = 94 per million
# (it was 12 × 3 + 7 × 15 = 141).
#   finished:  ten answers and one "why?" answer: 11 × 94 = 1,034 → $0.001034 (was 11 × 141)
#   recovered: six answers: 6 × 94 = 564 → $0.000564 (was 6 × 141 = 846)
#   stopped:   four answers: 4 × 94 = 376 → $0.000376 (was 4 × 141 = 564)
# These journals hold no provider or region: priced from the model id alone.
# Each step's `hunks` (file, index, verdict) are read from its last verdict; journals
# this old hold no `fully_displayed` or `seconds_in_view`, so none is told.
@pytest.mark.parametrize("name", NAMES)
def test_a_fixture_journal_tells_the_history_it_told(name: str, tmp_path: Path) -> None:
    folder = install(name, tmp_path)
    assert history_json(folder) == expected(name)["history"]


def test_only_the_stopped_fixture_is_left_to_resume(tmp_path: Path) -> None:
    folders = {name: install(name, tmp_path) for name in NAMES}
    assert latest_unfinished(tmp_path) == folders["stopped"]


async def test_the_stopped_fixture_resumes_as_it_did(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = app_repo(tmp_path / "project")
    folder = install("stopped", root)

    outcome = await resume_stopped(root, fake_api)

    assert outcome == expected("stopped")["resume"]
    assert fake_api.pending == 0
    assert verify(folder)[0]
