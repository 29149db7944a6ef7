"""What the requests carry: the map, the instructions, four cache breakpoints, and no secrets.

A whole session runs against the fake Messages API; the assertions read the
requests the server recorded, so they hold for whatever the SDK actually sent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
    assert any(request.path == COUNT_TOKENS_PATH for request in fake_api.requests)
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


async def test_every_request_has_four_cache_breakpoints_in_order(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    await run_session(repo, fake_api)
    for request in fake_api.message_requests:
        body = request.body
        assert json.dumps(body).count('"cache_control"') == 4
        tools = body["tools"]
        assert tools[-1]["cache_control"] == {"type": "ephemeral"}
        assert all("cache_control" not in tool for tool in tools[:-1])
        system = body["system"]
        assert [block["cache_control"] for block in system] == [{"type": "ephemeral"}] * 3
        prompt, repo_map, decisions = (block["text"] for block in system)
        assert "Always write docstrings in the imperative mood." in prompt
        assert repo_map.startswith("# Repository map\n\n")
        assert "pkg/mod_" in repo_map and "def compute_total_" in repo_map
        assert decisions.startswith("# Decision log")


async def test_the_map_is_stable_within_a_step_and_leans_towards_the_step(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    await run_session(repo, fake_api)
    maps = [request.body["system"][1]["text"] for request in fake_api.message_requests]
    # Planning (requests 1-2) shares one map; the step (request 3) gets one leaning towards it.
    assert maps[0] == maps[1]
    assert "def close_042(self) -> None:" in maps[2]
    assert "def close_042(self) -> None:" not in maps[0]
