"""Writing a step's planned files the way the commit's apply does, without a commit."""

from __future__ import annotations

from pathlib import Path

from slowcode.core.atomic import write_text_atomic
from slowcode.core.paths import PathPolicy
from slowcode.core.step_review import FileDiff
from slowcode.engine.apply.writes import MergeSink, plan_writes


def write_step(
    root: Path,
    files: list[FileDiff],
    *,
    paths: PathPolicy | None = None,
    on_merged: MergeSink | None = None,
) -> list[str]:
    """Plans the step's writes (`plan_writes`), writes each atomically, returns the paths."""
    plan = plan_writes(root, files, paths=paths, on_merged=on_merged)
    for absolute, _rel, text in plan:
        absolute.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(absolute, text)
    return [rel for _absolute, rel, _text in plan]
