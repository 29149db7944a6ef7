"""MADR's YAML front matter, edited in place with a round-trip YAML parser.

`ruamel.yaml` reads the front matter with the line of every key, so a change
rewrites only the lines of the keys it sets: comments, key order, quoting, flow
lists and the keys slowcode does not know (`consulted`, `informed`, …) stay as
they were, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import StringIO
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError

FrontValue = str | Sequence[str]


@dataclass(frozen=True)
class FrontMatterBlock:
    """Where the front matter is: the `---` lines and the keys between them.

    Attributes:
        opening: Index of the opening `---` line.
        closing: Index of the closing `---` (or `...`) line.
        keys: Each top-level key and the index of the line it starts on, in order.
        quoted: The top-level keys whose scalar value is written in double quotes.
    """

    opening: int
    closing: int
    keys: tuple[tuple[str, int], ...]
    quoted: frozenset[str]


class _DatesAsText(RoundTripConstructor):
    """Reads timestamps as text: a hand-typed `2026-01-32` must not make the YAML unreadable."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsText.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsText
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def locate(lines: Sequence[str]) -> FrontMatterBlock | None:
    """The front matter of a file split into lines, or None when it has none (or it is broken)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return None
    try:
        data = _yaml().load("\n".join(lines[1:closing]) or "{}")
    except (YAMLError, ValueError):
        return None
    if not isinstance(data, CommentedMap):
        return None
    keys = tuple((str(key), 1 + int(data.lc.key(key)[0])) for key in data)
    quoted = frozenset(
        str(key)
        for key, value in data.items()
        if type(value).__name__ == "DoubleQuotedScalarString"
    )
    return FrontMatterBlock(0, closing, keys, quoted)


def read_text_values(lines: Sequence[str]) -> dict[str, Any]:
    """The front matter's values with every scalar as the text written, or {} without one.

    YAML's base schema resolves no types, so `0123` stays `0123` and a date stays
    the text `2026-11-21`.
    """
    block = locate(lines)
    if block is None:
        return {}
    try:
        data = YAML(typ="base", pure=True).load("\n".join(lines[1 : block.closing]) or "{}")
    except YAMLError:
        return {}
    return dict(data) if isinstance(data, Mapping) else {}


def set_keys(lines: list[str], updates: Mapping[str, FrontValue], after: str = "status") -> None:
    """Sets top-level keys in place, touching only their lines.

    A key that exists has its lines (the key line and any indented or list lines
    below it) replaced; a new key goes after `after` (or at the end). A file with
    no front matter gets one.

    Args:
        lines: The file's lines, changed in place.
        updates: The keys to set and their values (a string or a list of strings).
        after: The key a new key is placed after.
    """
    block = locate(lines)
    if block is None:
        rendered = [line for key, value in updates.items() for line in render_key(key, value)]
        lines[0:0] = ["---", *rendered, "---", ""]
        return
    for key, value in updates.items():
        block = locate(lines)
        assert block is not None  # we only ever write valid front matter
        starts = dict(block.keys)
        rendered = render_key(key, value, quoted=key in block.quoted)
        if key in starts:
            start = starts[key]
            end = _value_end(lines, start, block.closing)
            lines[start:end] = rendered
        else:
            anchor = starts.get(after)
            where = block.closing if anchor is None else _value_end(lines, anchor, block.closing)
            lines[where:where] = rendered


def _value_end(lines: Sequence[str], start: int, closing: int) -> int:
    """The line after the value of the key on line `start` (its block list, if any)."""
    end = start + 1
    while end < closing and (lines[end][:1] in (" ", "\t", "-") and lines[end].strip()):
        end += 1
    return end


def render_key(key: str, value: FrontValue, *, quoted: bool = False) -> list[str]:
    """`key: value` as YAML lines; values YAML would read as anything but text are quoted."""
    if isinstance(value, str):
        return [f"{key}: {scalar(value, quoted=quoted)}"]
    if not value:
        return [f"{key}: []"]
    return [f"{key}:", *(f"  - {scalar(item)}" for item in value)]


def scalar(value: str, *, quoted: bool = False) -> str:
    """`value` as a YAML scalar that reads back as the same string.

    Plain when YAML reads it back unchanged as text; in double quotes otherwise
    (`0123`, `1e3`, `yes`, `null`, `a: b`, …) or when `quoted` asks for it.
    """
    if not quoted and _ISO_DATE.fullmatch(value):
        # MADR's own template writes dates plain; readers take them as dates or text.
        return value
    if not quoted and value and value == value.strip() and _reads_back(value):
        return value
    text = json.dumps(value, ensure_ascii=False)
    # YAML treats these as line breaks even inside quotes; JSON leaves them raw.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# YAML 1.1 readers (PyYAML, older js-yaml) read these as booleans, nulls or numbers.
_YAML_11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER_LIKE = re.compile(r"(?=.*\d)[-+0-9._:eExXoObB]+")


def _reads_back(value: str) -> bool:
    if value.lower() in _YAML_11_WORDS or _NUMBER_LIKE.fullmatch(value):
        return False
    if "\n" in value or "\r" in value or value[0] in "\"'!&*[]{}|>%@`#,?-:":
        return False
    try:
        # The safe loader resolves YAML 1.1 and 1.2 types: `0123` is a number there.
        data = YAML(typ="safe", pure=True).load(StringIO(f"k: {value}\n"))
    except (YAMLError, ValueError):
        return False
    return isinstance(data, dict) and data.get("k") == value and isinstance(data["k"], str)
