"""tree-sitter grammars: which file suffix is which language, and one parser per language.

The repository map, the decision detector and the parse guard all read source
files with the grammars of `tree-sitter-language-pack` (0.13 ships them in the
wheel, so nothing is fetched at run time). Each reads a subset of the languages
named here. Grammars load on first use (a few milliseconds each), and parsers
are kept per thread: a tree-sitter `Parser` must not parse in two threads at once.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from tree_sitter import Language, Parser

GRAMMAR_BY_SUFFIX: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hh": "cpp",
    ".hpp": "cpp",
    ".hxx": "cpp",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".swift": "swift",
    ".scala": "scala",
    ".lua": "lua",
    ".sh": "bash",
    ".bash": "bash",
    ".json": "json",
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".css": "css",
    ".html": "html",
}
"""File suffix (lower case) → tree-sitter-language-pack grammar name."""

_local = threading.local()


def grammar_for(path: str) -> str | None:
    """The grammar name for a path by its suffix (any case), or None when there is none."""
    # `PurePosixPath(path).suffix` by hand: the map calls this once per file per refresh.
    name = path[path.rfind("/") + 1 :]
    dot = name.rfind(".")
    if dot <= 0 or dot == len(name) - 1:
        return None
    return GRAMMAR_BY_SUFFIX.get(name[dot:].lower())


@cache
def language(name: str) -> Language:
    """The tree-sitter `Language` of a grammar name, loaded once per process.

    Raises:
        LookupError: This build of the language pack has no such grammar.
    """
    import tree_sitter_language_pack

    # The pack types its argument as a Literal of every grammar name.
    return tree_sitter_language_pack.get_language(cast(Any, name))


def parser(name: str) -> Parser:
    """A parser for a grammar name, one per thread and grammar.

    Raises:
        LookupError: This build of the language pack has no such grammar.
    """
    parsers: dict[str, Parser] | None = getattr(_local, "parsers", None)
    if parsers is None:
        parsers = _local.parsers = {}
    found = parsers.get(name)
    if found is None:
        from tree_sitter import Parser

        found = parsers[name] = Parser(language(name))
    return found
