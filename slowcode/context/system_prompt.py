"""The system prompt of every request: instructions, then what the model knows of the project.

The blocks are stable across a session's requests, so the last one carries the
prompt-cache breakpoint: tools and system are paid for once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.context.files import list_files
from slowcode.context.policy import ContextPolicy
from slowcode.prompts import load_prompt

INSTRUCTION_FILES = ("AGENTS.md", "CLAUDE.md", "CONVENTIONS.md", ".slowcode/instructions.md")

# Without a model to count tokens, four characters a token is the usual estimate for code.
CHARS_PER_TOKEN = 4


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


def file_overview(root: Path, policy: ContextPolicy, budget_tokens: int) -> str:
    """The repository's files, one per line, cut to fit the token budget."""
    lines: list[str] = []
    used = 0
    files = list_files(root, policy)
    for index, rel in enumerate(files):
        cost = len(rel) // CHARS_PER_TOKEN + 1
        if used + cost > budget_tokens:
            lines.append(f"... and {len(files) - index} more files")
            break
        lines.append(rel)
        used += cost
    return "\n".join(lines)


def system_blocks(
    root: Path, policy: ContextPolicy, decision_summary: str, budget_tokens: int
) -> list[dict[str, Any]]:
    """The `system` blocks: the prompt, then the project context with the cache breakpoint."""
    context = [f"# Repository files\n\n{file_overview(root, policy, budget_tokens)}"]
    context.append(f"# Decision log\n\n{decision_summary or 'No decisions recorded yet.'}")
    instructions = project_instructions(root, policy)
    if instructions:
        context.append(f"# Project instructions\n\n{instructions}")
    return [
        {"type": "text", "text": load_prompt("system.md")},
        {
            "type": "text",
            "text": "\n\n".join(context),
            "cache_control": {"type": "ephemeral"},
        },
    ]
