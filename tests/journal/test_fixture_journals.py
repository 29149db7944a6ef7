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
