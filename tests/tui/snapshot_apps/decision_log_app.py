"""A small app showing the Decisions screen on a fixture repository, for snapshot tests."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from textual.app import App

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions.lifecycle import supersede
from slowcode.decisions.store import DecisionStore
from slowcode.tui.screens.decision_log import DecisionLogScreen

# Fixed identity and dates: the commit shas, and so the snapshots, never change.
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Developer",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Developer",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
    "GIT_AUTHOR_DATE": "2026-11-21T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-21T10:00:00+00:00",
}


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        env={**os.environ, **_GIT_ENV},
        check=True,
        capture_output=True,
    )


def decision_log_repo(root: Path, count: int = 12) -> Path:
    """A repository with `count` MADR records, one superseded, and a commit citing one."""
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    # Superseding names the developer as decision maker: the same one on every machine.
    _git(root, "config", "user.name", "Grace")
    _git(root, "config", "user.email", "grace@example.com")
    store = DecisionStore(root)
    statuses = [DecisionStatus.ACCEPTED, DecisionStatus.PROPOSED, DecisionStatus.REJECTED]
    for n in range(1, count + 1):
        store.write(
            DecisionRecord(
                title=f"Decision {n}: {['Use SQLite', 'Retry with backoff', 'Cache maps'][n % 3]}",
                context=f"Why decision {n} was needed.",
                outcome=f"We do thing {n}.",
                status=statuses[n % 3] if n != 1 else DecisionStatus.ACCEPTED,
                date=f"2026-01-{n:02d}",
                decision_makers=["Ada"],
                options=[ConsideredOption("Thing", pros=["simple"]), ConsideredOption("Other")],
                chosen="Thing",
            )
        )
    supersede(
        store,
        store.records()[0],
        DecisionRecord(
            title="Use PostgreSQL", context="Several writers.", outcome="We use PostgreSQL."
        ),
        today=dt.date(2026, 11, 21),
    )
    newest = store.records()[-1]
    _git(root, "add", "-A")
    _git(
        root,
        "commit",
        "-q",
        "-m",
        f"Move to PostgreSQL\n\nSessions need writers.\n\nDecision: {newest.path}",
    )
    return root


class DecisionLogApp(App[None]):
    """Opens the Decisions screen on `root`."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(DecisionLogScreen(self._root, None))
