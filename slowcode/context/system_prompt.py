"""The system prompt of every request, laid out for the prompt cache.

A request is tools, then system blocks, then the conversation. The stable parts
come first and each ends with a `cache_control` breakpoint, four in all (the
API's limit), from the most stable to the least:

1. the last tool (the tools never change within a session);
2. the system prompt and the project's instruction files;
3. the repository map (rebuilt when a step starts: it leans towards the step);
4. the decision log (changes when a decision is recorded).

A change in one part leaves the cached prefix before it valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.prompts import load_prompt

INSTRUCTION_FILES = ("AGENTS.md", "CLAUDE.md", "CONVENTIONS.md", ".slowcode/instructions.md")

EPHEMERAL: dict[str, str] = {"type": "ephemeral"}

MAX_BREAKPOINTS = 4
"""The Messages API accepts at most four `cache_control` breakpoints per request."""


def project_instructions(root: Path, policy: ContextPolicy) -> str:
    """The project's own instruction files that exist, each under its name."""
    parts: list[str] = []
    for name in INSTRUCTION_FILES:
        path = root / name
        if path.is_file() and (name.startswith(".slowcode/") or not policy.is_excluded(name)):
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                parts.append(f"## {name}\n\n{text}")
    return "\n\n".join(parts)


def with_cache_breakpoint(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of `tools` whose last tool carries a cache breakpoint."""
    if not tools:
        return []
    return [*tools[:-1], {**tools[-1], "cache_control": dict(EPHEMERAL)}]


def system_blocks(
    root: Path, policy: ContextPolicy, decision_summary: str, repo_map: str
) -> list[dict[str, Any]]:
    """The `system` blocks: prompt and instructions, map, decision log, each cached.

    Args:
        root: The repository's working tree.
        policy: Instruction files it excludes are left out.
        decision_summary: The decision log's summary ("" when there are none).
        repo_map: The rendered repository map ("" when no file could be mapped).
    """
    prompt = load_prompt("system.md")
    instructions = project_instructions(root, policy)
    if instructions:
        prompt += f"\n\n# Project instructions\n\n{instructions}"
    texts = [
        prompt,
        f"# Repository map\n\n{repo_map.rstrip() or '(no source files to map)'}",
        f"# Decision log\n\n{decision_summary or 'No decisions recorded yet.'}",
    ]
    return [{"type": "text", "text": text, "cache_control": dict(EPHEMERAL)} for text in texts]
