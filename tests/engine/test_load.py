"""Load: a long scripted session against the fake server runs to the end, and neither
memory, nor the time per step, nor the size of a request grows with the steps done.

Each step rewrites one of a fixed set of modules, so the repository keeps its size
and the test measures the session's length alone (how the repository map scales
with a repository's size is `bench/repomap.py`'s to measure).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import resource
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slowcode.core.plan import Plan, PlanStep
from slowcode.core.step_review import StepReview
from slowcode.engine.human import PlanVerdict, StepVerdict
from slowcode.engine.progress import SessionState
from tests.context.repos import git, make_repo, with_identity
from tests.engine.hostile import RawJsonAPI, plan_reply, workflow_for
from tests.fakeapi import reply, tool_use_block
from tests.helpers.humans import ApprovingHuman

EDITOR = "str_replace_based_edit_tool"
MODULES = 40
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """The process's resident memory now, in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class MeasuringHuman(ApprovingHuman):
    """Expands the plan to `steps` steps, accepts every hunk, and times each step."""

    steps: int = 0
    server: RawJsonAPI | None = None
    marks: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    request_bytes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        self.plans.append(plan)
        titles = [PlanStep(f"Add module {n}", "load") for n in range(1, self.steps + 1)]
        self.marks.append(time.perf_counter())
        return PlanVerdict(approved=True, steps=titles)

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.marks.append(time.perf_counter())
        self.rss.append(rss_mb())
        if self.server is not None:
            # The step's one request: what its conversation weighs.
            self.request_bytes.append(len(json.dumps(self.server.requests[-1].body["messages"])))
            # The fake keeps every request it received; that memory is the test's, not
            # slowcode's, so it is dropped as the session goes.
            self.server.requests.clear()
        return await super().review_step(review)


@dataclass(frozen=True)
class LoadResult:
    steps: int
    seconds: float
    first_steps_ms: float
    last_steps_ms: float
    rss_early_mb: float
    rss_end_mb: float
    peak_rss_mb: float
    commits: int
    request_bytes_early: int
    request_bytes_end: int


def module(n: int, value: int) -> str:
    return f'"""Module {n}."""\n\n\ndef value_{n}() -> int:\n    return {value}\n'


def module_path(n: int) -> str:
    return f"pkg/mod_{n}.py"


def run_session(root: Path, server: RawJsonAPI, steps: int) -> LoadResult:
    server.script(plan_reply("Add modules"))
    for n in range(1, steps + 1):
        target = (n - 1) % MODULES + 1
        rewrite = {"command": "create", "path": module_path(target), "file_text": module(target, n)}
        server.script(
            reply(
                tool_use_block(EDITOR, rewrite),
                tool_use_block("finish_step", {"summary": f"Module {n}."}),
            )
        )
    server.script(reply("All modules added.", stop_reason="end_turn"))
    human = MeasuringHuman(steps=steps, server=server)
    workflow = workflow_for(root, server, human)
    started = time.perf_counter()

    async def drive() -> None:
        try:
            await workflow.run("add modules")
        finally:
            await workflow.client.aclose()

    asyncio.run(drive())
    seconds = time.perf_counter() - started
    assert workflow.session.state is SessionState.DONE
    per_step = [b - a for a, b in itertools.pairwise(human.marks)]
    window = max(3, steps // 10)
    # The first step pays for imports and the first model request: leave it out.
    early = per_step[1 : 1 + window]
    late = per_step[-window:]
    return LoadResult(
        steps=steps,
        seconds=seconds,
        first_steps_ms=statistics.median(early) * 1000,
        last_steps_ms=statistics.median(late) * 1000,
        rss_early_mb=human.rss[window],
        rss_end_mb=human.rss[-1],
        peak_rss_mb=peak_rss_mb(),
        commits=int(git(root, "rev-list", "--count", "HEAD")),
        # Step 1's request still holds the planning; from step 2 on the conversation
        # is the summary and one step, and the summary is full after five steps.
        request_bytes_early=max(human.request_bytes[1:8]),
        request_bytes_end=max(human.request_bytes[-window:]),
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {module_path(n): module(n, 0) for n in range(1, MODULES + 1)}
    root = make_repo(tmp_path / "project", {"README.md": "# load\n", **files})
    with_identity(root)
    return root


def check_flat(
    result: LoadResult, *, time_factor: float, noise_ms: float, rss_growth_mb: float
) -> None:
    print(f"\nload: {result}")
    assert result.commits == result.steps + 1
    assert result.last_steps_ms <= result.first_steps_ms * time_factor + noise_ms
    assert result.rss_end_mb - result.rss_early_mb <= rss_growth_mb
    # Only the digits of step numbers differ between an early request and a late one.
    assert result.request_bytes_end <= result.request_bytes_early + 64


def test_a_20_step_session_runs_flat(repo: Path, server: RawJsonAPI) -> None:
    check_flat(run_session(repo, server, 20), time_factor=2.0, noise_ms=15, rss_growth_mb=16)


@pytest.mark.slow
def test_a_200_step_session_runs_flat(repo: Path, server: RawJsonAPI) -> None:
    check_flat(run_session(repo, server, 200), time_factor=1.25, noise_ms=8, rss_growth_mb=8)
