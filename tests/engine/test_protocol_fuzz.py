"""Fuzzing the protocol: whatever the model sends, slowcode answers it and writes nothing.

Two kinds of case. Tool-call turns (most of them) go straight to the workflow's
tool dispatch, in a session that is planning and in one that is working on a
step: every call gets a tool result, protocol breaks count towards a clear stop,
nothing crashes. Whole sessions go through the fake server with the real SDK:
hypothesis writes the model's turns (text, tool calls, malformed JSON, empty
answers, odd stop reasons) and the session must end in DONE or a clear failure.
The developer sends every step back, so nothing may ever reach the work tree.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slowcode.engine.progress import SessionState
from slowcode.engine.session.lifecycle import Session
from slowcode.engine.session.workflow import MAX_PROTOCOL_STRIKES, ProtocolStop, Workflow
from slowcode.git.repo import GitRepo
from slowcode.journal.log import Journal, read_events, verify
from slowcode.model.types import ModelError
from tests.context.repos import make_repo, with_identity
from tests.engine.hostile import (
    RawJsonAPI,
    malformed_call,
    plan_reply,
    work_tree_snapshot,
    workflow_for,
)
from tests.fakeapi import reply, text_block, tool_use_block
from tests.helpers.humans import CautiousHuman

S = SessionState
# The SDK warns when it serialises a tool input that is not an object; fuzzing sends many.
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
EDITOR = "str_replace_based_edit_tool"
APP = (
    "def greet(name):\n    return 'hello ' + name\n\n\ndef shout(name):\n    return name.upper()\n"
)

# Figures for docs/reliability.md: `pytest -m slow -s` prints them.
COUNTS: dict[str, int] = {"tool_turns": 0, "tool_calls": 0, "sessions": 0}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)

paths = st.sampled_from(
    [
        "app.py",
        "./app.py",
        "src/new.py",
        "new.py",
        "README.md",
        ".",
        "",
        "../outside.py",
        "/etc/passwd",
        ".git/config",
        ".git/hooks/pre-commit",
        ".env",
        "id_rsa",
        "src/",
        "app.py\x00.txt",
        "C:\\x.py",
        "~/x.py",
        "a" * 300,
    ]
) | st.text(max_size=20)

texts = st.sampled_from(["def greet", "'hello '", "name.upper()", "", "\n", "x\x00y"]) | st.text(
    max_size=40
)


def optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts holding any subset of `fields`, sometimes with a value of the wrong type."""
    return st.fixed_dictionaries(
        {}, optional={key: strategy | json_values for key, strategy in fields.items()}
    )


editor_inputs = st.builds(
    lambda command, rest: {"command": command, **rest} if command is not None else rest,
    st.sampled_from(["view", "create", "str_replace", "insert", "delete", "undo_edit", None]),
    optional(
        {
            "path": paths,
            "file_text": texts,
            "old_str": texts,
            "new_str": texts,
            "insert_line": st.integers(-3, 20),
            "insert_text": texts,
            "view_range": st.lists(st.integers(-5, 50), max_size=3),
        }
    ),
)
search_inputs = optional(
    {
        "pattern": st.sampled_from(["greet", "(", "[", "a*", "\\", "^def .*$", ""]) | texts,
        "path_glob": st.sampled_from(["*.py", "**/*", "../*", "/etc/*", ".git/**", "["]),
        "max_results": st.integers(-5, 1000),
    }
)
steps = st.lists(optional({"title": texts, "why": texts}), max_size=35)
plan_inputs = optional({"goal": texts, "steps": steps})
option_lists = st.lists(optional({"label": texts, "consequences": texts}), max_size=4)
ask_inputs = optional({"question": texts, "options": option_lists, "architectural": st.booleans()})
decisions = optional(
    {
        "title": texts,
        "context": texts,
        "decision": texts,
        "consequences": texts,
        "alternatives": st.lists(optional({"option": texts, "why_not": texts}), max_size=3),
    }
)
finish_inputs = optional({"summary": texts, "architectural": st.booleans(), "decision": decisions})

tool_calls = st.one_of(
    st.tuples(st.just(EDITOR), editor_inputs),
    st.tuples(st.just("search_code"), search_inputs),
    st.tuples(st.just("propose_plan"), plan_inputs),
    st.tuples(st.just("ask_human"), ask_inputs),
    st.tuples(st.just("finish_step"), finish_inputs),
    st.tuples(st.text(max_size=20) | st.sampled_from(["bash", "rm", "computer"]), json_values),
    st.tuples(st.sampled_from([EDITOR, "finish_step", "propose_plan"]), json_values),
)

_ids = itertools.count()


def as_uses(calls: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"type": "tool_use", "id": f"toolu_fuzz_{next(_ids)}", "name": name, "input": tool_input}
        for name, tool_input in calls
    ]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


class Dispatcher:
    """Two headless sessions, one planning and one working on step 1, fed tool-call turns."""

    def __init__(self, root: Path, server: RawJsonAPI) -> None:
        self.root = root
        self.calls = 0
        self.loop = asyncio.new_event_loop()
        self.planning = workflow_for(root, server, CautiousHuman(approve_plans=False))
        self.working = workflow_for(root, server, CautiousHuman())
        for workflow in (self.planning, self.working):
            workflow.journal = Journal.create(root)
            workflow.session = Session(
                workflow.journal.session_id, "fuzz", "m", workflow.record, workflow.emit
            )
            workflow.session.transition(S.PLANNING)
        self.turn(
            self.working, [("propose_plan", {"goal": "g", "steps": [{"title": "t", "why": "w"}]})]
        )
        assert self.working.session.state is S.STEP_WORKING
        self.before = work_tree_snapshot(root)

    def turn(self, workflow: Workflow, calls: list[tuple[str, Any]]) -> None:
        uses = as_uses(calls)
        strikes_before = workflow._strikes
        try:
            self.loop.run_until_complete(workflow._answer(uses, {}))
        except ProtocolStop as stop:
            assert workflow._strikes == MAX_PROTOCOL_STRIKES == strikes_before + 1
            assert workflow.session.state is S.FAILED
            assert "broke the protocol 3 times in a row" in str(stop)
            workflow.session.recover()
            workflow._strikes = 0
        self.calls += len(uses)
        results = workflow.messages[-1]["content"]
        assert [r["tool_use_id"] for r in results] == [u["id"] for u in uses]
        for result in results:
            assert isinstance(result["content"], str) and result["content"].strip()
            if result.get("is_error"):
                assert "\n" not in result["content"].strip(), result["content"]
        # Each turn starts from a clean step, so cases do not depend on each other.
        workflow.tree.discard()
        workflow.messages.clear()

    def check(self) -> None:
        assert work_tree_snapshot(self.root) == self.before
        for workflow in (self.planning, self.working):
            assert workflow.journal is not None
            assert verify(workflow.journal.path)[0]
        logged = len(
            [
                1
                for workflow in (self.planning, self.working)
                for event in read_events(workflow.journal.path)  # type: ignore[union-attr]
                if event["type"] == "tool_call"
            ]
        )
        assert logged == self.calls  # every call journaled, the setup plan included

    def close(self) -> None:
        for workflow in (self.planning, self.working):
            self.loop.run_until_complete(workflow.client.aclose())
        self.loop.close()


def fuzz_tool_calls(root: Path, server: RawJsonAPI, examples: int) -> None:
    dispatcher = Dispatcher(root, server)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(calls=st.lists(tool_calls, min_size=1, max_size=4), working=st.booleans())
    def one_turn(calls: list[tuple[str, Any]], working: bool) -> None:
        dispatcher.turn(dispatcher.working if working else dispatcher.planning, calls)
        COUNTS["tool_turns"] += 1

    try:
        one_turn()
        dispatcher.check()
        COUNTS["tool_calls"] += dispatcher.calls
    finally:
        dispatcher.close()


def test_fuzzed_tool_calls_never_crash_and_never_write(repo: Path, server: RawJsonAPI) -> None:
    fuzz_tool_calls(repo, server, 300)


@pytest.mark.slow
def test_fuzzed_tool_calls_never_crash_and_never_write_10k(repo: Path, server: RawJsonAPI) -> None:
    fuzz_tool_calls(repo, server, 10_000)
    print(f"\nprotocol fuzz: {COUNTS}")


# -- whole sessions through the fake server ------------------------------------------------

blocks = st.one_of(
    st.builds(text_block, st.text(max_size=30)),
    tool_calls.map(lambda call: tool_use_block(call[0], call[1])),
    st.sampled_from(['{"pattern": ', "not json", '{"a": "x\\q"}', "{,}"]).map(malformed_call),
)
turns = st.builds(
    lambda content, stop: reply(*content, stop_reason=stop),
    st.lists(blocks, max_size=3),
    st.sampled_from([None, None, "end_turn", "max_tokens", "stop_sequence", "refusal"]),
)
openings = st.sampled_from([[], [plan_reply("One step")]])


def clear_script(server: RawJsonAPI) -> None:
    with server._script_lock:
        server._turns.clear()


def fuzz_sessions(root: Path, server: RawJsonAPI, examples: int) -> None:
    GitRepo.open(root).ensure_excluded(".slowcode/")  # the one change a session makes to .git
    before = work_tree_snapshot(root)
    loop = asyncio.new_event_loop()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(opening=openings, script=st.lists(turns, min_size=1, max_size=5))
    def one_session(opening: list[Any], script: list[Any]) -> None:
        clear_script(server)
        server.script(*opening, *script)
        workflow = workflow_for(root, server, CautiousHuman())
        try:
            loop.run_until_complete(workflow.run("fuzz"))
        except ProtocolStop:
            assert workflow.session.state is S.FAILED
        except ModelError as error:
            # The script ran out: the fake answers 400, which is never retried; or the
            # model refused, which stops the session, FAILED and resumable.
            assert error.kind in ("bad_request", "refusal"), error
            assert workflow.session.state is S.FAILED
        finally:
            loop.run_until_complete(workflow.client.aclose())
        assert workflow.session.state in (S.DONE, S.FAILED)
        assert workflow.journal is not None and verify(workflow.journal.path)[0]
        COUNTS["sessions"] += 1

    try:
        one_session()
    finally:
        loop.close()
    assert work_tree_snapshot(root) == before


def test_fuzzed_sessions_end_cleanly_and_never_write(repo: Path, server: RawJsonAPI) -> None:
    fuzz_sessions(repo, server, 15)


@pytest.mark.slow
def test_fuzzed_sessions_end_cleanly_and_never_write_long(repo: Path, server: RawJsonAPI) -> None:
    fuzz_sessions(repo, server, 1_000)
    print(f"\nprotocol fuzz: {COUNTS}")


# -- the named protocol breaks, each answered precisely ----------------------------------


async def run_until_stop(root: Path, server: RawJsonAPI, *script: Any) -> Workflow:
    server.script(*script)
    workflow = workflow_for(root, server, CautiousHuman())
    try:
        with pytest.raises(ProtocolStop):
            await workflow.run("task")
    finally:
        await workflow.client.aclose()
    return workflow


def last_user_content(server: RawJsonAPI, request: int) -> Any:
    return server.message_requests[request].body["messages"][-1]["content"]


async def test_malformed_tool_json_is_answered_not_retried(repo: Path, server: RawJsonAPI) -> None:
    bad = reply(malformed_call('{"pattern": "x\\q"}'))
    workflow = await run_until_stop(repo, server, bad, bad, bad)
    assert len(server.message_requests) == 3  # never sent again as a network failure
    answer = last_user_content(server, 1)
    assert answer[0]["type"] == "text"
    assert "not valid JSON (invalid JSON: invalid \\escape at line 1 column 15" in answer[0]["text"]
    sent = server.message_requests[1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert workflow.session.state is S.FAILED


async def test_empty_answers_are_named_and_the_conversation_stays_valid(
    repo: Path, server: RawJsonAPI
) -> None:
    empty = reply(stop_reason="end_turn")
    await run_until_stop(repo, server, empty, empty, empty)
    sent = server.message_requests[2].body["messages"]
    # The API refuses empty assistant messages: every message sent has content.
    assert all(message["content"] for message in sent)
    assert "Your response was empty" in json.dumps(sent[-1]["content"])


async def test_text_where_a_tool_was_required_then_a_clear_stop(
    repo: Path, server: RawJsonAPI
) -> None:
    chat = reply("I think we should refactor.", stop_reason="end_turn")
    events: list[Any] = []
    server.script(chat, chat, chat)
    workflow = workflow_for(repo, server, CautiousHuman(), events)
    with pytest.raises(ProtocolStop, match="3 times in a row"):
        await workflow.run("task")
    await workflow.client.aclose()
    assert "call propose_plan first" in json.dumps(last_user_content(server, 1))
    notices = [e for e in events if type(e).__name__ == "NoticeRaised"]
    assert notices and notices[-1].level == "error" and "protocol" in notices[-1].message


async def test_max_tokens_mid_tool_call_runs_nothing(repo: Path, server: RawJsonAPI) -> None:
    cut = reply(
        tool_use_block(EDITOR, {"command": "create", "path": "new.py", "file_text": "x = 1\n"}),
        stop_reason="max_tokens",
    )
    await run_until_stop(repo, server, plan_reply("One"), cut, cut, cut)
    result = last_user_content(server, 2)[0]
    assert result["is_error"] is True and "max_tokens" in result["content"]
    assert not (repo / "new.py").exists()


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (("delete_everything", {}), "Unknown tool 'delete_everything'"),
        ((EDITOR, {"command": "view"}), "'path' is a required property"),
        (("search_code", {"pattern": 3}), "pattern: 3 is not of type 'string'"),
        (
            (EDITOR, {"command": "create", "path": "x.py", "file_text": "x"}),
            "No approved plan yet",
        ),
        (("finish_step", {"summary": "s"}), "No step in progress"),
        (("propose_plan", []), "must be a JSON object"),
    ],
)
async def test_each_protocol_break_is_answered_precisely(
    repo: Path, server: RawJsonAPI, call: tuple[str, Any], expected: str
) -> None:
    turn = reply(tool_use_block(*call))
    await run_until_stop(repo, server, turn, turn, turn)
    result = last_user_content(server, 1)[0]
    assert result["is_error"] is True and expected in result["content"]


async def test_a_good_turn_between_breaks_resets_the_count(repo: Path, server: RawJsonAPI) -> None:
    bad = reply(tool_use_block("nope", {}))
    good = reply(tool_use_block(EDITOR, {"command": "view", "path": "app.py"}))
    await run_until_stop(repo, server, bad, bad, good, bad, bad, bad)
    assert len(server.message_requests) == 6
