"""Typed journal events: every kind a dataclass, read back from today's journals unchanged."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from slowcode.journal import events as ev
from slowcode.journal import schema
from slowcode.journal.log import Journal, JournalError, read_entries, read_events, verify
from tests.journal_fixtures import NAMES, install


@pytest.mark.parametrize("name", NAMES)
def test_every_event_of_a_fixture_journal_parses_to_its_typed_event(
    name: str, tmp_path: Path
) -> None:
    folder = install(name, tmp_path)
    raw = read_events(folder)
    entries = read_entries(folder)
    assert len(entries) == len(raw)
    for entry, event in zip(entries, raw, strict=True):
        assert not isinstance(entry.event, ev.UnknownEvent), event["type"]
        assert type(entry.event) is ev.EVENT_TYPES[event["type"]]
        assert (entry.seq, entry.ts, entry.event.type) == (event["seq"], event["ts"], event["type"])
        # The same keys and values: written again, the event is byte for byte the same.
        assert entry.event.to_data() == event["data"]


def test_every_kind_is_a_frozen_dataclass_registered_once() -> None:
    assert len(ev.EVENT_TYPES) >= 39
    for kind, cls in ev.EVENT_TYPES.items():
        assert kind == cls.KIND
        assert dataclasses.is_dataclass(cls)
        assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="registered twice"):
        schema.event_kind("commit_made")(type("Again", (ev.JournalEvent,), {}))


def test_recording_a_typed_event_writes_the_kind_and_keys_of_old(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    made = ev.CommitMade(step=2, commit="abc123", paths=["a.py", "docs/d.md"], written=["a.py"])
    entry = journal.record(made, sync=True)

    assert entry.event == made and entry.seq == 1
    (written,) = read_events(journal.path)
    assert written["type"] == "commit_made"
    assert written["data"] == {
        "step": 2,
        "commit": "abc123",
        "paths": ["a.py", "docs/d.md"],
        "written": ["a.py"],
        "decision_path": None,
        "recovered": False,
    }
    assert verify(journal.path)[0]


def test_a_recorded_event_comes_back_redacted(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    entry = journal.record(ev.ModelFailed("auth", "bad key sk-ant-abcdefghijklmnop"))
    assert entry.event == ev.ModelFailed("auth", "bad key [redacted]")


def test_optional_keys_are_written_only_when_set() -> None:
    plain = ev.StepVerdictGiven(step=1, action="apply")
    assert "round" not in plain.to_data()
    sent_back = ev.StepVerdictGiven(step=1, action="send_back", round=[])
    assert sent_back.to_data()["round"] == []
    broken = ev.ModelResponse("malformed_tool_input", error="bad JSON")
    assert broken.to_data() == {"stop_reason": "malformed_tool_input", "error": "bad JSON"}
    answered = ev.ModelResponse("end_turn", usage={"input_tokens": 1}, model="m")
    assert answered.to_data() == {
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 1},
        "model": "m",
        "request_id": None,
    }


def test_a_kind_from_a_newer_version_is_kept_as_it_was(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    journal.append("hologram_projected", {"angle": 3})
    journal.record(ev.ApplyRolledBack(step=1, conflicts=["a.py"], restored=["b.py"]))
    unknown, rolled_back = (entry.event for entry in read_entries(journal.path))

    assert unknown == ev.UnknownEvent("hologram_projected", {"angle": 3})
    assert unknown.type == "hologram_projected"
    assert rolled_back == ev.ApplyRolledBack(step=1, conflicts=["a.py"], restored=["b.py"])
    # Written again, it is what it was.
    again = Journal.create(tmp_path).record(unknown)
    assert again.event == unknown


def rewrite(tmp_path: Path, kind: str, data: dict[str, object]) -> Path:
    journal = Journal.create(tmp_path)
    journal.append(kind, data)
    return journal.path


def test_an_event_missing_a_field_is_refused_in_one_line(tmp_path: Path) -> None:
    path = rewrite(tmp_path, "commit_made", {"step": 1})
    with pytest.raises(JournalError) as caught:
        read_entries(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.endswith("event 1: a commit_made event has no 'commit'")


def test_an_event_with_a_value_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    path = rewrite(tmp_path, "commit_made", {"step": "one", "commit": "abc"})
    with pytest.raises(JournalError, match="a commit_made event's 'step' is str 'one'"):
        read_entries(path)
    path = rewrite(tmp_path, "step_applied", {"step": 1, "commit": None, "paths": "a.py"})
    with pytest.raises(JournalError, match="'paths' is str"):
        read_entries(path)


def test_fields_left_out_by_older_writers_take_their_defaults() -> None:
    applied = ev.parse_event("step_applied", {"step": 1, "commit": None, "paths": []})
    assert applied == ev.StepApplied(step=1, commit=None)
    assert applied.to_data() == {"step": 1, "commit": None, "paths": [], "decision_title": None}
    json.dumps(applied.to_data())


def test_listeners_are_told_of_each_typed_event_as_written(tmp_path: Path) -> None:
    journal = Journal.create(tmp_path)
    heard: list[tuple[str, int, ev.JournalEvent]] = []
    journal.record(ev.SessionStarted(task="before anyone listens"))
    journal.listen(lambda source, entry: heard.append((source.session_id, entry.seq, entry.event)))
    journal.record(ev.ModelFailed(kind="auth", message="key sk-ant-api03-abcdefghijklmnop"))
    journal.record(ev.StateChanged(state="failed"))

    assert [(seq, type(event)) for _, seq, event in heard] == [
        (2, ev.ModelFailed),
        (3, ev.StateChanged),
    ]
    assert {session for session, _, _ in heard} == {journal.session_id}
    # What a listener sees is what was written: secrets already redacted.
    failed = heard[0][2]
    assert isinstance(failed, ev.ModelFailed)
    assert "sk-ant-" not in failed.message
