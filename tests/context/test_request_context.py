"""What the requests carry: the map, the instructions, the cache breakpoints, and no secrets.

A whole session runs against the fake Messages API; the assertions read the
requests the server recorded, so they hold for whatever the SDK actually sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.cache_model import PromptCache, request_blocks
from slowcode.core.config import Config
from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.human import (
    Answer,
    CommitChoice,
    PlanVerdict,
    Question,
    RefusedCommit,
    StepAction,
    StepVerdict,
)
from slowcode.engine.progress import SessionState
from slowcode.engine.session.workflow import Workflow
from slowcode.model.loopback import COUNT_TOKENS_PATH
from tests.context.mapped_repo import make_mapped_repo
from tests.context.repos import with_identity, write
from tests.fakeapi import FakeMessagesAPI, fake_settings, reply, tool_use_block

EDITOR = "str_replace_based_edit_tool"
SECRETS = {
    ".env": "API_TOKEN=marker-env-0001\n",
    "certs/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY----- marker-key-0002\n",
    "certs/server.pem": "-----BEGIN CERTIFICATE----- marker-pem-0003\n",
    "build/generated.py": "def marker_ignored_0004():\n    return 'marker-ignored-0004'\n",
    "vendor/private.py": "def marker_excluded_0005():\n    return 'marker-excluded-0005'\n",
}
MARKERS = ["marker-env-0001", "marker-key-0002", "marker-pem-0003", "0004", "0005"]


class Approving:
    """A developer who approves the plan and accepts every hunk."""

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        return PlanVerdict(approved=True, steps=list(plan.steps))

    async def review_step(self, review: StepReview) -> StepVerdict:
        for position in range(len(review.hunks)):
            review.set_verdict(position, Verdict.ACCEPTED)
        return StepVerdict(StepAction.APPLY)

    async def answer_question(self, question: Question) -> Answer:
        raise AssertionError("no question expected")

    async def resolve_refused_commit(self, refused: RefusedCommit) -> CommitChoice:
        raise AssertionError(f"no refused commit expected: {refused.output}")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_mapped_repo(
        tmp_path / "project",
        extra={
            ".gitignore": "build/\n",
            "AGENTS.md": "Always write docstrings in the imperative mood.\n",
            "app.py": "def greet(name):\n    return 'hello ' + name\n",
        },
    )
    for rel, text in SECRETS.items():
        write(root, rel, text)
    with_identity(root)
    return root


def peek(*paths: str) -> list[dict[str, Any]]:
    return [tool_use_block(EDITOR, {"command": "view", "path": path}) for path in paths]


async def run_session(repo: Path, fake_api: FakeMessagesAPI) -> Workflow:
    fake_api.script(
        reply(
            *peek(*SECRETS, "certs", "build", "vendor"),
            tool_use_block("search_code", {"pattern": "marker"}),
        ),
        reply(
            tool_use_block(
                "propose_plan",
                {"goal": "g", "steps": [{"title": "Make close_042 log", "why": "traceability"}]},
            )
        ),
        reply(
            tool_use_block(
                EDITOR,
                {
                    "command": "str_replace",
                    "path": "app.py",
                    "old_str": "'hello '",
                    "new_str": "'Hi '",
                },
            ),
            tool_use_block("finish_step", {"summary": "Shorter greeting."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    )
    workflow = Workflow(
        root=repo,
        config=Config(exclude=("vendor/",), context_tokens=600),
        settings=fake_settings(fake_api, stream_retries=0, max_retries=0),
        human=Approving(),
        on_progress=lambda event: None,
    )
    await workflow.run("Greet more briefly")
    assert workflow.session.state is SessionState.DONE
    return workflow


async def test_no_excluded_file_reaches_any_request(repo: Path, fake_api: FakeMessagesAPI) -> None:
    await run_session(repo, fake_api)
    assert len(fake_api.message_requests) == 4
    # The map is measured by the offline estimate: no count_tokens request at all.
    assert not any(request.path == COUNT_TOKENS_PATH for request in fake_api.requests)
    for request in fake_api.requests:
        sent = json.dumps(request.body)
        for marker in MARKERS:
            assert marker not in sent, (request.path, marker)
    # The model was told, one sentence per file, why it cannot see them.
    results = fake_api.message_requests[1].body["messages"][-1]["content"]
    refusals = [result for result in results if result.get("is_error")]
    assert len(refusals) == len(SECRETS) + 2  # and the ignored and excluded folders
    assert all("never read" in result["content"] for result in refusals)
    listings = " ".join(str(result["content"]) for result in results if not result.get("is_error"))
    for rel in SECRETS:
        assert Path(rel).name not in listings


def markers(body: dict[str, Any]) -> list[tuple[str, int, int]]:
    """Where a request's cache breakpoints are: (part, message or block index, block index)."""
    found = [("tools", i, 0) for i, tool in enumerate(body["tools"]) if "cache_control" in tool]
    system = body["system"]
    found += [("system", i, 0) for i, block in enumerate(system) if "cache_control" in block]
    for number, message in enumerate(body["messages"]):
        content = message["content"]
        blocks = content if isinstance(content, list) else []
        found += [("messages", number, i) for i, b in enumerate(blocks) if "cache_control" in b]
    return found


async def test_breakpoints_follow_the_map_the_decision_log_and_the_last_two_user_turns(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    await run_session(repo, fake_api)
    for request in fake_api.message_requests:
        body = request.body
        messages = body["messages"]
        users = [i for i, message in enumerate(messages) if message["role"] == "user"]
        expected = [("system", 1, 0), ("system", 2, 0)]
        expected += [("messages", i, len(messages[i]["content"]) - 1) for i in users[-2:]]
        assert markers(body) == expected
        assert json.dumps(body).count('"cache_control"') <= 4
        system = body["system"]
        assert {block["cache_control"]["type"] for block in system[1:]} == {"ephemeral"}
        prompt, repo_map, decisions = (block["text"] for block in system)
        assert "Always write docstrings in the imperative mood." in prompt
        assert repo_map.startswith("# Repository map\n\n")
        assert "pkg/mod_" in repo_map and "def compute_total_" in repo_map
        assert decisions.startswith("# Decision log")
    # Four in all once the conversation has two user turns.
    assert len(markers(fake_api.message_requests[1].body)) == 4


def billed(fake_api: FakeMessagesAPI) -> list[Any]:
    """Each recorded request as Anthropic's cache would bill it (one token per word)."""
    cache = PromptCache(min_tokens=100)
    return [
        cache.send(request_blocks(request.body, lambda text: len(text.split())), at=float(i))
        for i, request in enumerate(fake_api.message_requests)
    ]


async def test_each_request_of_a_step_reads_the_whole_prefix_of_the_one_before(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    workflow = await run_session(repo, fake_api)
    assert workflow.journal is not None
    # One request per model turn the session asked for, none sent twice.
    asked = [event for event in workflow.journal.events() if event["type"] == "model_request"]
    assert len(fake_api.message_requests) == len(asked) == 4
    bodies = [json.dumps(request.body, sort_keys=True) for request in fake_api.message_requests]
    assert len(set(bodies)) == len(bodies)
    bills = billed(fake_api)
    requests = [request.body for request in fake_api.message_requests]
    # Requests 1-3 are one conversation (planning, then step 1 before it is applied):
    # each reads everything the previous one sent, and writes only what was added.
    for before, after, body in zip(bills[:2], bills[1:3], requests[1:3], strict=True):
        assert after.cache_read == before.input_tokens
        assert after.uncached == 0
        added = request_blocks(body, lambda text: len(text.split()))
        assert after.cache_write == sum(block.tokens for block in added) - before.input_tokens
    # After the step was applied its exchanges were folded into the summary: the
    # conversation starts anew, but tools, prompt, map and decision log are read.
    last = bills[3]
    system_tokens = sum(
        block.tokens
        for block in request_blocks(requests[3], lambda text: len(text.split()))
        if block.where in ("tools", "system")
    )
    assert last.cache_read >= system_tokens
    assert all(not bill.problems for bill in bills)


async def test_the_map_is_the_same_in_every_request_of_the_session(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    workflow = await run_session(repo, fake_api)
    maps = [request.body["system"][1]["text"] for request in fake_api.message_requests]
    # Rendered once for the task: the step and the commit after it leave it as it was.
    assert len(set(maps)) == 1
    assert "def compute_total_" in maps[0]
    assert workflow.journal is not None
    saved = (workflow.journal.path.parent / "map.md").read_text(encoding="utf-8")
    assert maps[0] == "# Repository map\n\n" + saved.rstrip()


async def test_a_resumed_session_sends_the_map_it_sent_before(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    workflow = await run_session(repo, fake_api)
    assert workflow.journal is not None
    folder = workflow.journal.path.parent
    (folder / "map.md").write_text("pkg/kept_from_before.py:\n", encoding="utf-8")
    later = Workflow(
        root=repo,
        config=Config(),
        settings=fake_settings(fake_api),
        human=Approving(),
        on_progress=lambda event: None,
    )
    later.context.keep_in(folder)
    assert later.context.system("any task", "")[1]["text"].endswith("pkg/kept_from_before.py:")
    later.context.refresh_map()
    assert "pkg/kept_from_before.py" not in later.context.system("any task", "")[1]["text"]
