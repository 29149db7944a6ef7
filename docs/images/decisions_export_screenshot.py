"""Renders docs/images/decisions-export.png: the index of `slowcode decisions export --html`.

Run with `make screenshots` (needs Debian's `chromium`). It writes a small decision
log in MADR 4 with one superseded record and a citing commit, exports it, and
takes the screenshot in headless Chromium from file://, offline.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions.lifecycle import set_status, supersede
from slowcode.decisions.store import DecisionStore
from slowcode.ops.decision_site import export_site

OUT = Path(__file__).with_name("decisions-export.png")
TITLES = [
    ("Keep session state in SQLite", DecisionStatus.ACCEPTED),
    ("Render pages on the server", DecisionStatus.ACCEPTED),
    ("Queue jobs in the database", DecisionStatus.ACCEPTED),
    ("Use GraphQL for the public API", DecisionStatus.PROPOSED),
    ("Deploy with Kubernetes", DecisionStatus.REJECTED),
]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="slowcode-export-shot-"))
    root = work / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Ada Lovelace")
    git(root, "config", "user.email", "ada@example.com")
    store = DecisionStore(root)
    for day, (title, status) in enumerate(TITLES, start=1):
        store.write(
            DecisionRecord(
                title=title,
                context="Why it was needed.",
                outcome="What was decided.",
                status=status,
                date=f"2026-10-{day:02d}",
                decision_makers=["Ada Lovelace"],
                options=[ConsideredOption("This"), ConsideredOption("That")],
                chosen="This",
            )
        )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Decision log")
    queue = store.records()[2]
    supersede(
        store,
        queue,
        DecisionRecord(title="Queue jobs in Redis", context="Jobs pile up.", outcome="Redis."),
        today=dt.date(2026, 11, 21),
    )
    set_status(store, store.records()[1], DecisionStatus.DEPRECATED, today=dt.date(2026, 11, 22))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Move the job queue to Redis\n\nDecision: docs/decisions/0006-queue-jobs-in-redis.md")
    site = work / "site"
    export_site(store, site)
    chromium = shutil.which("chromium") or "chromium"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--hide-scrollbars",
            "--window-size=1000,700",
            f"--screenshot={OUT}",
            (site / "index.html").as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(work)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
