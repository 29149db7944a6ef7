"""Provenance notes exported as Agent Trace records (agent-trace.dev, version 0.1.0).

Agent Trace says which lines of a revision an AI produced, grouped by
conversation, with a contributor per range: `ai`, `human`, `mixed` or `unknown`.
slowcode maps its notes onto it: one record per step commit, one range per hunk
the commit applied, `ai` for a hunk accepted as proposed and `mixed` for one the
developer edited. What the format cannot say (that a human reviewed each hunk,
rejected some, or saw each one whole) goes under `metadata["dev.slowcode"]`,
which readers of the format are free to ignore: decision record 0026.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from slowcode import __version__
from slowcode.journal.provenance import ProvenanceNote

AGENT_TRACE_VERSION = "0.1.0"
_NAMESPACE = uuid.UUID("6f1c2d5e-8f3a-4b7e-9a41-5d0c7e2b9f10")
_CONTRIBUTOR = {"accepted": "ai", "edited": "mixed"}

Run = tuple[int, list[str]]
"""A run of added lines: the new-side number of its first line, and its lines."""


def trace_record(
    note: ProvenanceNote,
    commit: str,
    timestamp: str,
    hunks: dict[str, list[list[Run]]],
) -> dict[str, Any]:
    """The Agent Trace record of one step commit.

    Args:
        note: The commit's provenance note.
        commit: The commit's full id.
        timestamp: The commit's date, RFC 3339.
        hunks: Per file, each hunk of the commit's diff in order, as its runs of
            added lines (first new-side line number, the lines).
    """
    model_id = note.model if "/" in note.model else f"anthropic/{note.model}"
    files = []
    for path in sorted(hunks):
        applied = [
            h for h in note.hunks if h.get("file") == path and h.get("verdict") in _CONTRIBUTOR
        ]
        # The commit applied exactly the accepted and edited hunks, in order: when
        # they pair up with its diff one to one, each range gets its hunk's verdict.
        paired = len(applied) == len(hunks[path])
        ranges = []
        for position, runs in enumerate(hunks[path]):
            for start, lines in runs:
                entry: dict[str, Any] = {
                    "start_line": start,
                    "end_line": start + len(lines) - 1,
                    "content_hash": "sha256:" + hashlib.sha256("".join(lines).encode()).hexdigest(),
                }
                if paired:
                    kind = _CONTRIBUTOR[str(applied[position]["verdict"])]
                    entry["contributor"] = {"type": kind, "model_id": model_id}
                ranges.append(entry)
        if ranges:
            files.append(
                {
                    "path": path,
                    "conversations": [
                        {"contributor": {"type": "ai", "model_id": model_id}, "ranges": ranges}
                    ],
                }
            )
    return {
        "version": AGENT_TRACE_VERSION,
        "id": str(uuid.uuid5(_NAMESPACE, commit)),
        "timestamp": timestamp,
        "vcs": {"type": "git", "revision": commit},
        "tool": {"name": "slowcode", "version": __version__},
        "files": files,
        "metadata": {
            "dev.slowcode": {
                "session": note.session,
                "step": note.step,
                "hunks": note.hunks,
                "decision": note.decision,
            }
        },
    }


def added_runs(hunk: Iterable[Any]) -> list[Run]:
    """The runs of added lines of one unidiff hunk; lines between them break a run."""
    runs: list[Run] = []
    current: list[str] = []
    start = 0
    for line in [*hunk, None]:
        if line is not None and line.is_added:
            if not current:
                start = int(line.target_line_no)
            current.append(str(line.value))
        elif current:
            runs.append((start, current))
            current = []
    return runs
