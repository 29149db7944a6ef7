"""Hand-built step reviews for the TUI tests."""

from __future__ import annotations

from slowcode.core.decision_record import ConsideredOption, DecisionRecord
from slowcode.core.step_review import DiffLine, FileDiff, Hunk, LineKind, StepReview


def _hunk(file: str, index: int, start: int, body: list[tuple[str, str]]) -> Hunk:
    """A hunk from (marker, text) pairs, with line numbers counted from `start`."""
    lines: list[DiffLine] = []
    old = new = start
    for marker, text in body:
        kind = LineKind(marker)
        if kind is LineKind.CONTEXT:
            lines.append(DiffLine(kind, text, old, new))
            old += 1
            new += 1
        elif kind is LineKind.REMOVED:
            lines.append(DiffLine(kind, text, old, None))
            old += 1
        else:
            lines.append(DiffLine(kind, text, None, new))
            new += 1
    source_length = sum(1 for line in lines if line.kind is not LineKind.ADDED)
    target_length = sum(1 for line in lines if line.kind is not LineKind.REMOVED)
    return Hunk(file, index, start, source_length, start, target_length, "", lines)


def three_hunk_review(*, architectural: bool = False, with_decision: bool = False) -> StepReview:
    """A step with 3 hunks in 2 files (two in `client.py`, one in `retry.py`)."""
    client_hunks = [
        _hunk(
            "src/client.py",
            0,
            3,
            [
                (" ", "import json"),
                ("-", "import urllib.request"),
                ("+", "from src.retry import with_backoff"),
                ("+", "import urllib.request"),
                (" ", ""),
            ],
        ),
        _hunk(
            "src/client.py",
            1,
            20,
            [
                (" ", "def fetch(url: str) -> dict:"),
                ("-", "    return json.load(urllib.request.urlopen(url))"),
                ("+", "    response = with_backoff(lambda: urllib.request.urlopen(url))"),
                ("+", "    return json.load(response)  # retried on 429/5xx"),
            ],
        ),
    ]
    retry_hunks = [
        _hunk(
            "src/retry.py",
            0,
            1,
            [
                ("+", '"""Retry a call with exponential backoff."""'),
                ("+", "import time"),
                ("+", ""),
                ("+", "def with_backoff(call, attempts=3, base=0.5):"),
                ("+", "    for attempt in range(attempts):"),
                ("+", "        try:"),
                ("+", "            return call()"),
                ("+", "        except OSError:"),
                ("+", "            time.sleep(base * 2**attempt)"),
                ("+", "    return call()"),
            ],
        )
    ]
    decision = None
    if with_decision:
        decision = DecisionRecord(
            title="Retry HTTP calls with exponential backoff",
            context="The upstream API answers 429 and 503 under load; one failure "
            "aborts the whole import.",
            outcome="Wrap every request in `with_backoff` (3 attempts, 0.5 s base).",
            consequences="Slow failures take up to 3.5 s longer to surface.",
            options=[
                ConsideredOption("Exponential backoff helper"),
                ConsideredOption("Add the tenacity library", cons=["a new dependency"]),
            ],
            chosen="Exponential backoff helper",
        )
    return StepReview(
        step_number=2,
        title="Retry HTTP calls with backoff",
        summary="Adds a small **retry helper** and uses it in `fetch`, so a 429 or 5xx "
        "answer is retried three times before failing.",
        files=[
            FileDiff("src/client.py", "old", "new", client_hunks),
            FileDiff("src/retry.py", None, "new", retry_hunks),
        ],
        architectural=architectural,
        architectural_reasons=["adds a module other code will depend on"] if architectural else [],
        decision=decision,
    )


def large_review(lines: int) -> StepReview:
    """One new Python file of `lines` added lines, as a single hunk."""
    body = [("+", f"value_{n} = compute({n}, 'text {n}')  # line {n}") for n in range(lines)]
    hunk = _hunk("big/generated.py", 0, 1, body)
    return StepReview(
        1,
        "Generate table",
        "A large generated file.",
        [FileDiff("big/generated.py", None, "", [hunk])],
    )
