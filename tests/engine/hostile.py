"""Helpers for the hostile-input tests: a fake server that can send malformed tool JSON,
developers who never let anything reach the disk, and a snapshot of a work tree."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from slowcode.core.config import Config
from slowcode.engine.progress import Progress
from slowcode.engine.session.workflow import Workflow
from slowcode.model.loopback import ResponseWriter
from slowcode.model.sse import message_events
from tests.fakeapi import FakeMessagesAPI, Turn, fake_settings, reply, tool_use_block

RAW_JSON = "__raw_json__"
"""A tool_use input `{RAW_JSON: text}` is streamed as `text` itself, valid JSON or not."""


class RawJsonAPI(FakeMessagesAPI):
    """The fake Messages API, able to stream a tool call's input as arbitrary text."""

    def _stream(self, turn: Turn, message: dict[str, Any], writer: ResponseWriter) -> None:
        raw: dict[int, str] = {
            index: str(block["input"][RAW_JSON])
            for index, block in enumerate(message.get("content", []))
            if block.get("type") == "tool_use"
            and isinstance(block.get("input"), dict)
            and RAW_JSON in block["input"]
        }
        if not raw:
            super()._stream(turn, message, writer)
            return
        writer.start_stream()
        for name, data in message_events(message):
            delta = data.get("delta", {})
            if delta.get("type") == "input_json_delta" and data.get("index") in raw:
                if not delta.get("partial_json"):
                    continue
                text = raw.pop(data["index"])
                data = {**data, "delta": {"type": "input_json_delta", "partial_json": text}}
            writer.send_event(name, data)
        writer.end_stream()


def malformed_call(text: str, name: str = "search_code") -> dict[str, Any]:
    """A tool_use block whose input streams as `text`."""
    return tool_use_block(name, {RAW_JSON: text})


def workflow_for(
    root: Path,
    server: FakeMessagesAPI,
    human: Any,
    events: list[Progress] | None = None,
    **settings: Any,
) -> Workflow:
    sink = events.append if events is not None else (lambda event: None)
    return Workflow(
        root=root,
        config=Config(),
        settings=fake_settings(server, **{"stream_retries": 1, "max_retries": 0, **settings}),
        human=human,
        on_progress=sink,
    )


def plan_reply(*titles: str) -> Turn:
    steps = [{"title": title, "why": f"because {title.lower()}"} for title in titles]
    return reply(tool_use_block("propose_plan", {"goal": "a goal", "steps": steps}))


def work_tree_snapshot(root: Path) -> dict[str, str]:
    """Every file and link of the work tree and of `.git/` (never `.slowcode/`), by content."""
    seen: dict[str, str] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [name for name in dirs if not (folder == str(root) and name == ".slowcode")]
        for name in files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if rel == ".git/index":
                continue  # git refreshes its stat cache here on read-only commands
            if path.is_symlink():
                seen[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                seen[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                seen[rel] = "other"
    return seen
