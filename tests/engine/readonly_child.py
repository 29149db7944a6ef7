"""A session run by an unprivileged user, for the read-only decisions folder tests.

Usage: `python readonly_child.py ROOT start|apply|apply-tree`. Run as root, the process
gives up its privileges (uid and gid 65534) once everything it needs is imported: at
once (`start`), or while the step's review is open (`apply`, and `apply-tree` for a
step that records no decision), so a folder's mode 0o555 refuses writes as it would
for any developer. Run as anyone else, the mode alone does.

Prints each error notice as `notice: <line>` and an error that ended the session as
`error: <line>`; exits 0 when the session ended, 1 on an error, 3 when the scripted
developer quit with the review open.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback  # noqa: F401  (imported while the interpreter's library is readable)
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.engine.progress import NoticeRaised, Progress
from tests.engine.hostile import RawJsonAPI, plan_reply, workflow_for
from tests.fakeapi import reply, tool_use_block
from tests.helpers.humans import ApprovingHuman

NOBODY = 65534
DECISION = {
    "title": "Keep the greeting in a constant",
    "context": "The greeting is used in two places.",
    "decision": "One constant.",
    "consequences": "One place to change it.",
}


class Quit(Exception):
    """The developer quit with the review open."""


def drop_privileges(root: Path) -> None:
    """Becomes uid/gid 65534 when root; the session's own folder stays writable."""
    if os.geteuid() != 0:
        return
    for folder, _dirs, files in os.walk(root / ".slowcode"):
        os.chmod(folder, 0o777)
        for name in files:
            os.chmod(Path(folder) / name, 0o666)
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class ReadOnlyHuman(ApprovingHuman):
    """Gives up privileges when the review opens, applies, and quits when asked again."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    async def review_step(self, review: StepReview) -> StepVerdict:
        if self.reviews:
            raise Quit
        drop_privileges(self.root)
        return await super().review_step(review)


class ShownNotices(list[Progress]):
    """Prints each error notice as the session raises it."""

    def append(self, event: Progress) -> None:
        if isinstance(event, NoticeRaised) and event.level == "error":
            print(f"notice: {event.message}", flush=True)


def main() -> int:
    root, mode = Path(sys.argv[1]), sys.argv[2]
    server = RawJsonAPI()
    server.start()
    server.script(
        plan_reply("Name the greeting"),
        reply(
            tool_use_block(
                "str_replace_based_edit_tool",
                {"command": "create", "path": "a.txt", "file_text": "GREETING = 'hi'\n"},
            ),
            tool_use_block(
                "finish_step",
                # `apply-tree`: a step without a decision, so only the work tree's folder counts.
                {"summary": "A constant."}
                if mode == "apply-tree"
                else {"summary": "A constant.", "architectural": True, "decision": DECISION},
            ),
        ),
        reply("done", stop_reason="end_turn"),
    )

    workflow = workflow_for(root, server, ReadOnlyHuman(root), ShownNotices())
    if mode == "start":
        drop_privileges(root)

    async def drive() -> None:
        try:
            await workflow.run("name the greeting")
        finally:
            await workflow.client.aclose()

    try:
        asyncio.run(drive())
    except SlowcodeError as error:
        print(f"error: {error}", flush=True)
        return 1
    except Quit:
        return 3
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
