"""Declarations of Anthropic's text editor tool, built-in or as a custom tool."""

from __future__ import annotations

from slowcode.model.types import JsonDict
from slowcode.prompts import load_prompt

TEXT_EDITOR_NAME = "str_replace_based_edit_tool"
TEXT_EDITOR_TYPE = "text_editor_20250728"
TEXT_EDITOR_COMMANDS = ("view", "create", "str_replace", "insert")


def text_editor_input_schema() -> JsonDict:
    """The JSON schema of the text editor's input, as the built-in tool defines it."""
    return {
        "type": "object",
        "properties": {
            "command": {"type": "string", "enum": list(TEXT_EDITOR_COMMANDS)},
            "path": {"type": "string", "description": "Path relative to the repository root."},
            "file_text": {"type": "string", "description": "`create`: the file's content."},
            "old_str": {"type": "string", "description": "`str_replace`: the text to replace."},
            "new_str": {"type": "string", "description": "`str_replace`: the replacement."},
            "insert_line": {
                "type": "integer",
                "description": "`insert`: the line after which to insert (0 = top).",
            },
            "insert_text": {"type": "string", "description": "`insert`: the text to insert."},
            "view_range": {
                "type": "array",
                "items": {"type": "integer"},
                "minItems": 2,
                "maxItems": 2,
                "description": "`view`: [start, end] lines; end -1 means to the end.",
            },
        },
        "required": ["command", "path"],
    }


def text_editor_tool(builtin: bool) -> JsonDict:
    """The tool definition to send in a request's `tools`.

    Args:
        builtin: True for Anthropic's built-in tool type (no schema is sent);
            False for an ordinary custom tool with the same name and inputs, for
            servers that do not know the built-in type.

    Returns:
        The tool definition as a JSON dict.
    """
    if builtin:
        return {"type": TEXT_EDITOR_TYPE, "name": TEXT_EDITOR_NAME}
    return {
        "name": TEXT_EDITOR_NAME,
        "description": load_prompt(f"tools/{TEXT_EDITOR_NAME}.md"),
        "input_schema": text_editor_input_schema(),
    }
