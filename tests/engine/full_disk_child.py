"""A session started when no file may grow past a few bytes: the disk is full.

Usage: `python full_disk_child.py ROOT BYTES`. Every file the process writes is
held to BYTES bytes (`RLIMIT_FSIZE`; a write past it fails with `EFBIG`, as one
on a full disk fails with `ENOSPC`), set once everything is imported. Prints the
error that ended the session as `error: <line>` and exits 1, or exits 0.
"""

from __future__ import annotations

import asyncio
import resource
import signal
import sys
from pathlib import Path

from slowcode.core.errors import SlowcodeError
from tests.engine.hostile import plan_reply, workflow_for
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ApprovingHuman


def main() -> int:
    root, limit = Path(sys.argv[1]), int(sys.argv[2])
    server = FakeMessagesAPI()
    server.start()
    server.script(plan_reply("Greet politely"))
    workflow = workflow_for(root, server, ApprovingHuman())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        asyncio.run(workflow.run("Greet everyone politely"))
    except SlowcodeError as error:
        print(f"error: {error}")
        return 1
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
