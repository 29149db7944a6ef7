"""Prompt texts, loaded from plain files rather than written in code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import slowcode

_PACKAGE_PROMPTS = Path(slowcode.__file__).parent / "prompts"
"""Where the wheel carries the prompts (hatch force-includes the top-level folder)."""

_REPOSITORY_PROMPTS = Path(slowcode.__file__).parent.parent / "prompts"
"""The repository's own folder, which an editable install reads directly."""


@cache
def load_prompt(name: str) -> str:
    """The text of a prompt file.

    Args:
        name: Its path relative to the prompts folder, e.g. `"system.md"` or
            `"tools/str_replace_based_edit_tool.md"`.

    Returns:
        The file's text, without trailing whitespace.

    Raises:
        FileNotFoundError: When neither prompts folder has the file.
    """
    for folder in (_PACKAGE_PROMPTS, _REPOSITORY_PROMPTS):
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8").rstrip()
    raise FileNotFoundError(
        f"prompt {name!r} not found in {_PACKAGE_PROMPTS} or {_REPOSITORY_PROMPTS}"
    )
