"""The tools offered to the model (model-protocol.md) and the validation of their inputs.

Names and input schemas are the contract; the descriptions are prompt text and
live in `prompts/tools/`.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from slowcode.prompts import load_prompt

EDITOR_TOOL = "str_replace_based_edit_tool"
SEARCH_TOOL = "search_code"
PLAN_TOOL = "propose_plan"
ASK_TOOL = "ask_human"
FINISH_TOOL = "finish_step"
STAGING_EDITOR_COMMANDS = frozenset({"create", "str_replace", "insert"})
MAX_INPUT_BYTES = 1024 * 1024
"""The largest tool input taken, as UTF-8 JSON: a larger one is refused before any
schema check runs (no file slowcode edits may be larger, see `DEFAULT_MAX_FILE_BYTES`)."""

EDITOR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "command": {"type": "string", "enum": ["view", "create", "str_replace", "insert"]},
        "path": {"type": "string", "minLength": 1},
        "file_text": {"type": "string"},
        "old_str": {"type": "string", "minLength": 1},
        "new_str": {"type": "string"},
        "insert_line": {"type": "integer", "minimum": 0},
        "insert_text": {"type": "string"},
        "view_range": {
            "type": "array",
            "items": {"type": "integer"},
            "minItems": 2,
            "maxItems": 2,
        },
    },
    "required": ["command", "path"],
    "allOf": [
        {
            "if": {"properties": {"command": {"const": "create"}}},
            "then": {"required": ["file_text"]},
        },
        {
            "if": {"properties": {"command": {"const": "str_replace"}}},
            "then": {"required": ["old_str"]},
        },
        {
            "if": {"properties": {"command": {"const": "insert"}}},
            "then": {
                "required": ["insert_line"],
                "anyOf": [{"required": ["insert_text"]}, {"required": ["new_str"]}],
            },
        },
    ],
}

SEARCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "pattern": {"type": "string", "minLength": 1},
        "path_glob": {"type": "string"},
        "max_results": {"type": "integer", "minimum": 1, "maximum": 500},
    },
    "required": ["pattern"],
    "additionalProperties": False,
}

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "goal": {"type": "string", "minLength": 1},
        "steps": {
            "type": "array",
            "minItems": 1,
            "maxItems": 30,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "why": {"type": "string"},
                },
                "required": ["title", "why"],
            },
        },
    },
    "required": ["goal", "steps"],
}

ASK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "question": {"type": "string", "minLength": 1},
        "options": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "label": {"type": "string", "minLength": 1},
                    "consequences": {"type": "string"},
                },
                "required": ["label"],
            },
        },
        "architectural": {"type": "boolean"},
    },
    "required": ["question"],
}

DECISION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "context": {"type": "string"},
        "decision": {"type": "string", "minLength": 1},
        "consequences": {"type": "string"},
        "alternatives": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"option": {"type": "string"}, "why_not": {"type": "string"}},
                "required": ["option"],
            },
        },
    },
    "required": ["title", "decision"],
}

FINISH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "minLength": 1},
        "architectural": {"type": "boolean"},
        "decision": DECISION_SCHEMA,
    },
    "required": ["summary"],
    "if": {"properties": {"architectural": {"const": True}}, "required": ["architectural"]},
    "then": {"required": ["decision"]},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    EDITOR_TOOL: EDITOR_SCHEMA,
    SEARCH_TOOL: SEARCH_SCHEMA,
    PLAN_TOOL: PLAN_SCHEMA,
    ASK_TOOL: ASK_SCHEMA,
    FINISH_TOOL: FINISH_SCHEMA,
}


VALIDATION_ONLY = frozenset(
    {"minLength", "minimum", "maximum", "minItems", "maxItems", "additionalProperties"}
    | {"if", "then", "allOf", "anyOf"}
)
"""Schema keywords checked here but not sent: every request pays for the tools' text,
and a call that breaks one of them gets an error result that says what to fix."""


def sent_schema(schema: Any) -> Any:
    """`schema` as the model is given it: names, types, enums and required fields."""
    if isinstance(schema, dict):
        return {
            key: sent_schema(value) for key, value in schema.items() if key not in VALIDATION_ONLY
        }
    if isinstance(schema, list):
        return [sent_schema(item) for item in schema]
    return schema


def tool_definitions(*, builtin_text_editor: bool) -> list[dict[str, Any]]:
    """The `tools` of every request, in a stable order (the prompt cache depends on it)."""
    if builtin_text_editor:
        editor: dict[str, Any] = {"type": "text_editor_20250728", "name": EDITOR_TOOL}
    else:
        editor = {
            "name": EDITOR_TOOL,
            "description": load_prompt(f"tools/{EDITOR_TOOL}.md"),
            "input_schema": sent_schema(EDITOR_SCHEMA),
        }
    custom = [
        {
            "name": name,
            "description": load_prompt(f"tools/{name}.md"),
            "input_schema": sent_schema(SCHEMAS[name]),
        }
        for name in (SEARCH_TOOL, PLAN_TOOL, ASK_TOOL, FINISH_TOOL)
    ]
    return [editor, *custom]


@cache
def _validator(name: str) -> Any:
    # jsonschema costs ~75 ms to import: only sessions that talk to a model pay it.
    import jsonschema

    return jsonschema.Draft202012Validator(SCHEMAS[name])


def input_size(tool_input: object) -> int:
    """The size of a tool input as compact UTF-8 JSON, in bytes (one linear pass)."""
    return len(json.dumps(tool_input, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def input_problem(name: str, tool_input: object) -> str | None:
    """One sentence saying what is wrong with a tool call's input, or None when it is valid."""
    if name not in SCHEMAS:
        known = ", ".join(sorted(SCHEMAS))
        return f"Unknown tool {name!r}; the tools are: {known}."
    size = input_size(tool_input)
    if size > MAX_INPUT_BYTES:
        return (
            f"The input of {name} is {size:,} bytes of JSON, over the limit of "
            f"{MAX_INPUT_BYTES:,} bytes (1 MiB); nothing was run: split it into smaller edits."
        )
    if not isinstance(tool_input, dict):
        return f"The input of {name} must be a JSON object, got {json.dumps(tool_input)[:80]}."
    errors = sorted(_validator(name).iter_errors(tool_input), key=lambda e: list(e.path))
    if not errors:
        return None
    first = errors[0]
    where = ".".join(str(part) for part in first.path) or "input"
    return f"Invalid input for {name}: {where}: {first.message}."
