"""The system prompt of every request, laid out for the prompt cache.

A request is tools, then system blocks, then the conversation. The system
blocks are the prompt with the project's instruction files, the repository map,
and the decision log; a `cache_control` breakpoint follows the map (tools,
prompt and map are stable for the session) and another the decision log (it
changes when a decision is recorded). The other two of the API's four
breakpoints go on the conversation (`slowcode.model.cache_breakpoints`).

A change in one part leaves the cached prefix before it valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.context.policy import ContextPolicy
from slowcode.model.cache_breakpoints import DEFAULT_TTL, cache_marker
from slowcode.prompts import load_prompt

INSTRUCTION_FILES = ("AGENTS.md", "CLAUDE.md", "CONVENTIONS.md", ".slowcode/instructions.md")


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


def system_blocks(
    root: Path,
    policy: ContextPolicy,
    decision_summary: str,
    repo_map: str,
    ttl: str = DEFAULT_TTL,
) -> list[dict[str, Any]]:
    """The `system` blocks: prompt and instructions, map, decision log; the last two cached.

    Args:
        root: The repository's working tree.
        policy: Instruction files it excludes are left out.
        decision_summary: The decision log's summary ("" when there are none).
        repo_map: The rendered repository map ("" when no file could be mapped).
        ttl: The breakpoints' cache lifetime (`5m` or `1h`).
    """
    prompt = load_prompt("system.md")
    instructions = project_instructions(root, policy)
    if instructions:
        prompt += f"\n\n# Project instructions\n\n{instructions}"
    return [
        {"type": "text", "text": prompt},
        {
            "type": "text",
            "text": f"# Repository map\n\n{repo_map.rstrip() or '(no source files to map)'}",
            "cache_control": cache_marker(ttl),
        },
        {
            "type": "text",
            "text": f"# Decision log\n\n{decision_summary or 'No decisions recorded yet.'}",
            "cache_control": cache_marker(ttl),
        },
    ]
