"""Definitions and references of one source file, found with tree-sitter.

Each language has a query file in `queries/` whose `@def` captures are the
names a file defines and whose `@ref` captures are the names it uses. The
grammars come from `tree-sitter-language-pack` (0.13 ships them in the wheel,
so nothing is fetched at run time).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from slowcode.context.grammars import GRAMMAR_BY_SUFFIX, grammar_for, language, parser

_QUERIES = Path(__file__).parent / "queries"

# TSX is TypeScript with JSX: the definitions and references it has are the same.
_SHARED_QUERIES = {"tsx": "typescript"}

MAPPED_LANGUAGES = frozenset(path.stem for path in _QUERIES.glob("*.scm")) | frozenset(
    _SHARED_QUERIES
)
"""The grammars the repository map has a tags query for."""

LANGUAGE_BY_SUFFIX: dict[str, str] = {
    suffix: grammar for suffix, grammar in GRAMMAR_BY_SUFFIX.items() if grammar in MAPPED_LANGUAGES
}
"""The file suffixes the repository map understands, and their grammar."""

MAX_FILE_BYTES = 1_000_000
"""Larger files (generated code, vendored bundles) are listed in the map but not parsed."""

MAX_LINE_CHARS = 120
"""A definition's line is cut here: the map shows signatures, not minified code."""

# Plain tuples rather than named ones: `marshal` (the tag cache's format) stores only
# exact built-in types, and loading needs no conversion.
Definition = tuple[str, int, str]
"""A name a file defines: (name, 0-based line, that line's text cut to `MAX_LINE_CHARS`)."""

FileTags = tuple[tuple[Definition, ...], tuple[tuple[str, int], ...]]
"""What a file defines (in source order) and uses: (defs, ((name, count), ... sorted by name))."""

EMPTY_TAGS: FileTags = ((), ())


def language_for(rel_path: str) -> str | None:
    """The grammar name for a path, or None when the map does not parse such files."""
    grammar = grammar_for(rel_path)
    return grammar if grammar in MAPPED_LANGUAGES else None


@cache
def _query(name: str) -> Any:
    from tree_sitter import Query

    source = _QUERIES / f"{_SHARED_QUERIES.get(name, name)}.scm"
    return Query(language(name), source.read_text(encoding="utf-8"))


def extract_tags(data: bytes, language: str) -> FileTags:
    """The definitions and references in a file's bytes.

    Args:
        data: The file's content.
        language: A grammar name from `LANGUAGE_BY_SUFFIX`.

    Returns:
        The file's tags; empty for files over `MAX_FILE_BYTES`.
    """
    if len(data) > MAX_FILE_BYTES:
        return EMPTY_TAGS
    from tree_sitter import QueryCursor

    tree = parser(language).parse(data)
    captures = QueryCursor(_query(language)).captures(tree.root_node)
    lines: list[bytes] | None = None
    defs: list[Definition] = []
    def_starts: set[int] = set()
    for node in captures.get("def", ()):
        start = node.start_byte
        if start in def_starts:
            continue
        def_starts.add(start)
        if lines is None:
            lines = data.split(b"\n")
        row = node.start_point[0]
        text = lines[row].decode("utf-8", "replace").rstrip() if row < len(lines) else ""
        if len(text) > MAX_LINE_CHARS:
            text = text[:MAX_LINE_CHARS] + "…"
        name = data[start : node.end_byte].decode("utf-8", "replace")
        defs.append((name, row, text))
    counts: dict[str, int] = {}
    for node in captures.get("ref", ()):
        start = node.start_byte
        # Broad patterns such as `(type_identifier) @ref` also match the name being defined.
        if start in def_starts:
            continue
        name = data[start : node.end_byte].decode("utf-8", "replace")
        counts[name] = counts.get(name, 0) + 1
    defs.sort(key=lambda d: (d[1], d[0]))
    return tuple(defs), tuple(sorted(counts.items()))
