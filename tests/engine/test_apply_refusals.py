"""A repository that changes state while a review is open is re-checked right before apply.

A merge started during the review, or a file of the step left conflicted, refuses
the apply in one line: nothing is written or committed, the review stays open with
its verdicts, and a session stopped there resumes and applies once the developer
has sorted the repository out.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from slowcode.core.step_review import StepReview, Verdict
from slowcode.engine.human import StepAction, StepVerdict
from slowcode.engine.progress import NoticeRaised, Progress, SessionState
from slowcode.journal.log import find_sessions, read_events, verify
from slowcode.ops.replay import replay_session
from tests.context.repos import IDENTITY, conflicting_branches, git
from tests.engine.hostile import RawJsonAPI, plan_reply, workflow_for
from tests.fakeapi import Turn, reply, tool_use_block
from tests.helpers.humans import ApprovingHuman

EDITOR = "str_replace_based_edit_tool"
STEP_TEXT = "a as the step wants it\n"


class Quit(Exception):
    """The developer quit with the review open."""


def one_step() -> list[Turn]:
    return [
        plan_reply("Change a"),
        reply(
            tool_use_block(EDITOR, {"command": "create", "path": "a.txt", "file_text": STEP_TEXT}),
            tool_use_block("finish_step", {"summary": "a changed"}),
        ),
        reply("done", stop_reason="end_turn"),
    ]


def conflict_in_index(root: Path, path: str) -> None:
    """Leaves `path` unmerged (stages 1-3) with no operation in progress, as git can."""
    blobs = [
        subprocess.run(
            ["git", "-C", str(root), "hash-object", "-w", "--stdin"],
            input=f"{side}\n",
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for side in ("base", "ours", "theirs")
    ]
    entries = f"0 {'0' * 40}\t{path}\n" + "".join(
        f"100644 {blob} {stage}\t{path}\n" for stage, blob in enumerate(blobs, start=1)
    )
    subprocess.run(
        ["git", "-C", str(root), "update-index", "--index-info"],
        input=entries,
        text=True,
        check=True,
    )


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def notices(events: list[Progress]) -> list[str]:
    return [e.message for e in events if isinstance(e, NoticeRaised) and e.level == "error"]


class UpsetDuringReview(ApprovingHuman):
    """Applies every step; before the first verdict, `upset` changes the repository.

    Every later review is handed to `again` (default: apply as usual).
    """

    def __init__(self, upset: list[str] | None = None, *, quit_again: bool = False) -> None:
        super().__init__()
        self.upset = upset
        self.quit_again = quit_again
        self.seen: list[list[str]] = []
        self.root: Path | None = None

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.seen.append([str(hunk.verdict) for hunk in review.hunks])
        if len(self.seen) == 1:
            assert self.root is not None
            if self.upset:
                subprocess.run(["git", "-C", str(self.root), *IDENTITY, *self.upset], check=False)
            else:
                conflict_in_index(self.root, "a.txt")
            return await super().review_step(review)
        if self.quit_again:
            raise Quit
        # The developer sorted it out, then applies again.
        assert self.root is not None
        if (self.root / ".git" / "MERGE_HEAD").exists():
            git(self.root, "merge", "--abort")
        return await super().review_step(review)


async def test_a_merge_started_during_the_review_refuses_the_apply(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = conflicting_branches(tmp_path)
    before = head(root)
    server.script(*one_step())
    human = UpsetDuringReview(["merge", "other"])
    human.root = root
    events: list[Progress] = []
    workflow = workflow_for(root, server, human, events)
    await workflow.run("change a")
    await workflow.client.aclose()

    (refusal,) = notices(events)
    assert refusal.startswith("a merge is in progress (a step commit now would land")
    assert "`git merge --abort`" in refusal and "your verdicts are kept" in refusal
    assert "\n" not in refusal
    # Asked again with the verdicts as they were; applied once the merge was aborted.
    assert human.seen == [["undecided"], ["accepted"]]
    assert workflow.session.state is SessionState.DONE
    assert git(root, "rev-parse", "HEAD^").strip() == before
    assert (root / "a.txt").read_text() == STEP_TEXT
    (folder,) = find_sessions(root)
    kinds = [e["type"] for e in read_events(folder)]
    assert kinds.count("apply_refused") == 1 and kinds.count("commit_made") == 1
    assert kinds.index("apply_refused") < kinds.index("apply_intent")


async def test_a_file_left_conflicted_during_the_review_is_not_written(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = conflicting_branches(tmp_path)
    before = head(root)
    server.script(*one_step())
    human = UpsetDuringReview(quit_again=True)
    human.root = root
    events: list[Progress] = []
    workflow = workflow_for(root, server, human, events)
    try:
        await workflow.run("change a")
    except Quit:
        pass
    finally:
        await workflow.client.aclose()

    (refusal,) = notices(events)
    assert refusal.startswith("git sees unresolved conflicts in a.txt: slowcode will not edit it")
    assert refusal.endswith("apply the step again (nothing was written; your verdicts are kept)")
    assert human.seen == [["undecided"], ["accepted"]]
    assert (root / "a.txt").read_text() == "main\n"
    assert head(root) == before
    (folder,) = find_sessions(root)
    kinds = [e["type"] for e in read_events(folder)]
    assert "apply_refused" in kinds and "apply_intent" not in kinds
    assert verify(folder)[0]

    # Resolved by the developer; the resumed session applies the verdict it was given.
    git(root, "add", "a.txt")
    resumed_human = ApprovingHuman()
    resumed = workflow_for(root, server, resumed_human)
    assert await resumed.resume() is True
    await resumed.client.aclose()
    assert resumed.session.state is SessionState.DONE
    assert resumed_human.reviews == []  # not asked again
    assert (root / "a.txt").read_text() == STEP_TEXT
    assert git(root, "rev-parse", "HEAD^").strip() == before
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["a.txt"]


async def test_a_replay_follows_the_verdict_given_after_a_refusal(
    tmp_path: Path, server: RawJsonAPI
) -> None:
    root = conflicting_branches(tmp_path)
    server.script(*one_step())

    class RejectsFirst(UpsetDuringReview):
        async def review_step(self, review: StepReview) -> StepVerdict:
            if self.seen:
                return await super().review_step(review)
            self.seen.append([str(hunk.verdict) for hunk in review.hunks])
            subprocess.run(["git", "-C", str(root), *IDENTITY, "merge", "other"], check=False)
            review.set_verdict(0, Verdict.REJECTED, comment="not yet")
            return StepVerdict(StepAction.APPLY)

    human = RejectsFirst()
    human.root = root
    workflow = workflow_for(root, server, human)
    await workflow.run("change a")
    await workflow.client.aclose()
    (folder,) = find_sessions(root)
    verdicts = [e["data"]["hunks"] for e in read_events(folder) if e["type"] == "step_verdict"]
    assert [rows[0]["verdict"] for rows in verdicts] == ["rejected", "accepted"]
    assert (root / "a.txt").read_text() == STEP_TEXT
    # The refused verdict (reject: nothing to commit) is not the one replayed.
    report = await asyncio.to_thread(replay_session, root, folder)
    assert report.ok and report.unused_responses == 0, report
