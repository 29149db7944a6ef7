"""The session journal: round trip, hash chain, tamper detection, redaction, resume."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
from pathlib import Path

import pytest

from slowcode.journal.log import (
    REDACTED,
    SESSION_FINISHED,
    Journal,
    JournalError,
    canonical_json,
    event_hash,
    find_sessions,
    latest_unfinished,
    read_events,
    redact,
    verify,
)


def filled_journal(root: Path, count: int = 5) -> Journal:
    journal = Journal.create(root)
    journal.append("task", {"text": "add retries"})
    for n in range(1, count):
        journal.append("note", {"n": n, "text": f"event number {n} — ünïcode"}, sync=n == 2)
    return journal


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_create_makes_a_sortable_session_folder(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", journal.session_id)
    assert journal.path == tmp_path / ".slowcode" / "sessions" / journal.session_id / (
        "journal.jsonl"
    )
    assert journal.path.is_file()
    assert journal.events() == []


def test_round_trip(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    written = journal.events()
    assert [e["seq"] for e in written] == [1, 2, 3, 4, 5]
    assert [e["type"] for e in written] == ["task", "note", "note", "note", "note"]
    assert written[0]["data"] == {"text": "add retries"}
    assert written[3]["data"]["text"] == "event number 3 — ünïcode"
    assert written[0]["prev"] is None
    assert all(e["ts"].endswith("Z") for e in written)
    assert read_events(journal.path) == written
    assert read_events(journal.path.parent) == written
    assert "ü" in journal.path.read_text(encoding="utf-8")


def test_append_returns_the_event_as_written(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    first = journal.append("a", {"tuple": (1, 2)})
    second = journal.append("b", {})
    assert first["data"] == {"tuple": [1, 2]}
    assert second["prev"] == event_hash(first)
    assert lines_of(journal.path)[0] == canonical_json(first)
    assert journal.last_seq == 2


def test_each_event_carries_the_hash_of_the_one_before(tmp_path: Path) -> None:
    events = filled_journal(tmp_path).events()
    for before, after in itertools.pairwise(events):
        expected = json.dumps(before, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert after["prev"] == hashlib.sha256(expected.encode()).hexdigest()


def test_verify_accepts_an_intact_journal(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    assert verify(journal.path) == (True, "5 events, chain intact")


def test_verify_detects_one_changed_byte(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    lines = lines_of(journal.path)
    lines[1] = lines[1].replace("event number 1", "event number 7")
    write_lines(journal.path, lines)
    ok, message = verify(journal.path)
    assert not ok
    assert message.startswith("event 3 (line 3): hash chain broken")


def test_verify_detects_a_non_canonical_edit(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    lines = lines_of(journal.path)
    lines[4] = lines[4].replace('"seq":5', '"seq": 5')
    write_lines(journal.path, lines)
    assert verify(journal.path) == (
        False,
        "event 5 (line 5): not in canonical form (the line was edited)",
    )


def test_verify_detects_a_deleted_line(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    lines = lines_of(journal.path)
    del lines[2]
    write_lines(journal.path, lines)
    ok, message = verify(journal.path)
    assert not ok
    assert message == "event 3 (line 3): sequence number 4, expected 3"


def test_verify_detects_a_deleted_line_even_when_renumbered(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    events = journal.events()
    del events[1]
    for n, event in enumerate(events, start=1):
        event["seq"] = n
    write_lines(journal.path, [canonical_json(e) for e in events])
    ok, message = verify(journal.path)
    assert not ok
    assert message.startswith("event 2 (line 2): hash chain broken")


def test_verify_detects_reordered_lines(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    lines = lines_of(journal.path)
    lines[1], lines[2] = lines[2], lines[1]
    write_lines(journal.path, lines)
    ok, message = verify(journal.path)
    assert not ok
    assert message == "event 2 (line 2): sequence number 3, expected 2"


def test_verify_reports_garbage(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path)
    lines = lines_of(journal.path)
    lines[0] = "{not json"
    write_lines(journal.path, lines)
    assert verify(journal.path) == (False, "event 1 (line 1): not valid JSON")
    with pytest.raises(JournalError, match="line 1 is not valid JSON"):
        read_events(journal.path)


def test_redact_masks_secret_keys_and_values() -> None:
    data = {
        "api_key": "sk-ant-api03-abcdefghijkl",
        "headers": {
            "Authorization": "Bearer abc",
            "X-Api-Key": "k",
            "content-type": "json",
        },
        "env": [{"ANTHROPIC_AUTH_TOKEN": "tok"}],
        "text": "my key is sk-ant-api03-0123456789abcdef, see",
        "log": "sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload",
        "usage": {"input_tokens": 10, "max_tokens": 100},
    }
    cleaned = redact(data)
    assert cleaned["api_key"] == REDACTED
    assert cleaned["headers"] == {
        "Authorization": REDACTED,
        "X-Api-Key": REDACTED,
        "content-type": "json",
    }
    assert cleaned["env"] == [{"ANTHROPIC_AUTH_TOKEN": REDACTED}]
    assert cleaned["text"] == f"my key is {REDACTED}, see"
    assert cleaned["log"] == f"sent Authorization: Bearer {REDACTED}"
    assert cleaned["usage"] == {"input_tokens": 10, "max_tokens": 100}
    assert data["api_key"] == "sk-ant-api03-abcdefghijkl"  # the input is not changed


def test_the_journal_never_holds_keys(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    journal.append(
        "model_request",
        {"x-api-key": "sk-ant-api03-secretsecret", "body": "token sk-ant-api03-secretsecret"},
    )
    assert "secretsecret" not in journal.path.read_text(encoding="utf-8")
    assert verify(journal.path)[0]


def test_reopen_continues_the_chain(tmp_path: Path) -> None:
    first = filled_journal(tmp_path, count=3)
    reopened = Journal.open(first.path.parent)
    assert reopened.session_id == first.session_id
    assert reopened.last_seq == 3
    event = reopened.append("resumed", {})
    assert event["seq"] == 4
    assert event["prev"] == event_hash(first.events()[2])
    assert verify(first.path) == (True, "4 events, chain intact")


def test_reopen_cuts_off_an_unfinished_last_write(tmp_path: Path) -> None:
    journal = filled_journal(tmp_path, count=3)
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"seq":4,"ts":"2026-')
    ok, message = verify(journal.path)
    assert not ok and "unfinished write" in message
    assert len(read_events(journal.path)) == 3
    reopened = Journal.open(journal.path)
    reopened.append("resumed", {})
    assert verify(journal.path) == (True, "4 events, chain intact")


def test_appends_from_many_threads_keep_the_chain(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)

    def worker(name: str) -> None:
        for n in range(25):
            journal.append("tick", {"worker": name, "n": n})

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verify(journal.path) == (True, "100 events, chain intact")


def test_find_sessions_and_latest_unfinished(tmp_path: Path) -> None:
    assert find_sessions(tmp_path) == []
    assert latest_unfinished(tmp_path) is None
    sessions = tmp_path / ".slowcode" / "sessions"
    for name, last_type in [
        ("20260101-000000-aaaaaa", "step_applied"),
        ("20260102-000000-bbbbbb", SESSION_FINISHED),
    ]:
        journal = Journal(sessions / name / "journal.jsonl")
        journal.path.parent.mkdir(parents=True)
        journal.append("task", {})
        journal.append(last_type, {})
    empty = sessions / "20260103-000000-cccccc"
    empty.mkdir()
    (empty / "journal.jsonl").touch()
    (sessions / "not-a-session").mkdir()

    assert [p.name for p in find_sessions(tmp_path)] == [
        "20260101-000000-aaaaaa",
        "20260102-000000-bbbbbb",
        "20260103-000000-cccccc",
    ]
    assert latest_unfinished(tmp_path) == sessions / "20260101-000000-aaaaaa"

    newest = Journal.open(empty)
    newest.append("task", {})
    assert latest_unfinished(tmp_path) == empty
    newest.append(SESSION_FINISHED, {"summary": "done"})
    assert latest_unfinished(tmp_path) == sessions / "20260101-000000-aaaaaa"
