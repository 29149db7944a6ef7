"""Tamper detection at the end of a journal, where the chain alone cannot see it."""

from __future__ import annotations

import json
from pathlib import Path

from slowcode.journal.log import HEAD_FILE, Journal, verify


def filled(root: Path, count: int = 5) -> Journal:
    journal = Journal.create(root)
    for n in range(count):
        journal.append("note", {"n": n, "text": f"event {n}"}, sync=n == 0)
    return journal


def lines(journal: Journal) -> list[str]:
    return journal.path.read_text(encoding="utf-8").splitlines()


def rewrite(journal: Journal, kept: list[str]) -> None:
    journal.path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")


def test_the_head_names_the_last_event(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    head = json.loads((journal.path.parent / HEAD_FILE).read_text())
    assert head["seq"] == 5
    assert verify(journal.path) == (True, "5 events, chain intact")


def test_deleting_the_last_line_is_detected(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    rewrite(journal, lines(journal)[:-1])
    ok, message = verify(journal.path)
    assert not ok
    assert message.startswith("event 5 is missing")


def test_truncating_at_a_line_boundary_is_detected(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    rewrite(journal, lines(journal)[:2])
    ok, message = verify(journal.path)
    assert not ok and "event 3 is missing" in message


def test_truncating_mid_line_is_reported(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    data = journal.path.read_bytes()
    journal.path.write_bytes(data[: len(data) - 10])
    ok, message = verify(journal.path)
    assert not ok and "unfinished write" in message


def test_truncating_to_nothing_is_detected(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    journal.path.write_bytes(b"")
    ok, message = verify(journal.path)
    assert not ok and "event 1 is missing" in message


def test_one_changed_byte_in_the_last_event_is_detected(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    kept = lines(journal)
    kept[-1] = kept[-1].replace("event 4", "event 9")
    rewrite(journal, kept)
    ok, message = verify(journal.path)
    assert not ok
    assert message == "event 5 (line 5): does not match the hash its head records"


def test_every_single_byte_change_is_detected(tmp_path: Path) -> None:
    journal = filled(tmp_path, count=3)
    original = journal.path.read_bytes()
    for position in range(len(original) - 1):
        changed = bytearray(original)
        changed[position] = ord("#") if changed[position] != ord("#") else ord("%")
        journal.path.write_bytes(bytes(changed))
        assert not verify(journal.path)[0], f"byte {position} changed unnoticed"
    journal.path.write_bytes(original)
    assert verify(journal.path)[0]


def test_reordering_the_last_two_events_is_detected(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    kept = lines(journal)
    kept[-1], kept[-2] = kept[-2], kept[-1]
    rewrite(journal, kept)
    ok, message = verify(journal.path)
    assert not ok and message == "event 4 (line 4): sequence number 5, expected 4"


def test_a_head_one_event_behind_is_a_kill_mid_append_not_tampering(tmp_path: Path) -> None:
    journal = filled(tmp_path, count=4)
    head = (journal.path.parent / HEAD_FILE).read_text()
    journal.append("late", {})
    (journal.path.parent / HEAD_FILE).write_text(head)
    assert verify(journal.path) == (True, "5 events, chain intact")
    Journal.open(journal.path)
    assert json.loads((journal.path.parent / HEAD_FILE).read_text())["seq"] == 5


def test_a_missing_head_is_reported(tmp_path: Path) -> None:
    journal = filled(tmp_path)
    (journal.path.parent / HEAD_FILE).unlink()
    ok, message = verify(journal.path)
    assert not ok and "missing" in message
    empty = Journal.create(tmp_path)
    assert verify(empty.path) == (True, "0 events, chain intact")
