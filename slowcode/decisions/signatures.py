"""The public API of a source file, read with tree-sitter, for the architectural detector.

`public_signatures(path, text)` maps each public name to its signature text
(parameters, return type, base classes, exported fields), whitespace-normalized,
so two versions of a file compare by API and not by body. Public means:

- Python: module-level functions and classes, and methods of public classes, whose
  names do not start with `_` (dunder methods such as `__init__` count: they are
  how a class is called).
- JavaScript / TypeScript: what an `export` statement declares.
- Go: capitalized functions, methods and types.
- Rust: `pub` items, and `pub fn` in `impl` blocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from slowcode.context.grammars import grammar_for, parser

if TYPE_CHECKING:
    from tree_sitter import Node

LANGUAGES = frozenset({"python", "javascript", "typescript", "tsx", "go", "rust"})
"""The grammars whose public API the detector reads."""


def language_of(path: str) -> str | None:
    """The tree-sitter language of a file, or None when the detector reads none."""
    grammar = grammar_for(path)
    return grammar if grammar in LANGUAGES else None


def public_signatures(path: str, text: str) -> dict[str, str]:
    """Public name → signature text; empty for a language the detector does not read."""
    language = language_of(path)
    if language is None:
        return {}
    root = parser(language).parse(text.encode("utf-8")).root_node
    if language == "python":
        return dict(_python(root, ""))
    if language == "go":
        return dict(_go(root))
    if language == "rust":
        return dict(_rust(root, ""))
    return dict(_javascript(root))


def _text(node: Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return " ".join(node.text.decode("utf-8", "replace").split())


def _name(node: Node, field: str = "name") -> str:
    return _text(node.child_by_field_name(field))


def _signature(node: Node, *fields: str) -> str:
    return " ".join(part for part in (_text(node.child_by_field_name(f)) for f in fields) if part)


# Python -----------------------------------------------------------------------------


def _python_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _python(block: Node, prefix: str) -> Iterator[tuple[str, str]]:
    for child in block.named_children:
        node = (
            child.child_by_field_name("definition")
            if child.type == "decorated_definition"
            else child
        )
        if node is None:
            continue
        name = _name(node)
        if not name or not _python_public(name):
            continue
        if node.type == "function_definition":
            yield prefix + name, "def " + _signature(node, "parameters", "return_type")
        elif node.type == "class_definition" and not name.startswith("_"):
            yield prefix + name, "class " + _signature(node, "superclasses")
            body = node.child_by_field_name("body")
            if body is not None:
                yield from _python(body, f"{prefix}{name}.")


# JavaScript / TypeScript --------------------------------------------------------------

_JS_DECLARATIONS = {
    "function_declaration",
    "generator_function_declaration",
    "class_declaration",
    "abstract_class_declaration",
    "interface_declaration",
    "type_alias_declaration",
    "enum_declaration",
}


def _javascript(root: Node) -> Iterator[tuple[str, str]]:
    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        declaration = statement.child_by_field_name("declaration")
        value = statement.child_by_field_name("value")
        if declaration is None and value is not None:
            yield "default", _text(value)[:200]
            continue
        if declaration is None:
            # `export { a, b }` re-exports: the list is the API.
            yield _text(statement), _text(statement)
            continue
        if declaration.type in _JS_DECLARATIONS:
            yield from _js_declaration(declaration)
        elif declaration.type in ("lexical_declaration", "variable_declaration"):
            for declarator in declaration.named_children:
                if declarator.type == "variable_declarator":
                    assigned = declarator.child_by_field_name("value")
                    kind = _js_callable(assigned)
                    yield _name(declarator), kind or _signature(declarator, "type")


def _js_callable(node: Node | None) -> str:
    if node is None or node.type not in ("arrow_function", "function_expression", "function"):
        return ""
    parameters = node.child_by_field_name("parameters") or node.child_by_field_name("parameter")
    return f"{_text(parameters)} {_signature(node, 'return_type')}".strip()


def _js_declaration(node: Node) -> Iterator[tuple[str, str]]:
    name = _name(node)
    if node.type in ("function_declaration", "generator_function_declaration"):
        yield name, _signature(node, "type_parameters", "parameters", "return_type")
    elif node.type in ("class_declaration", "abstract_class_declaration"):
        heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
        yield name, "class " + _signature(node, "type_parameters") + " " + _text(heritage)
        body = node.child_by_field_name("body")
        for member in body.named_children if body is not None else []:
            member_name = _name(member)
            private = member_name.startswith("#") or any(
                c.type == "accessibility_modifier" and _text(c) != "public" for c in member.children
            )
            if member.type == "method_definition" and not private:
                yield f"{name}.{member_name}", _signature(member, "parameters", "return_type")
    else:
        # Interfaces, type aliases, enums: their whole text is their signature.
        yield name, _text(node)


# Go -----------------------------------------------------------------------------------


def _go_exported(name: str) -> bool:
    return name[:1].isupper()


def _go(root: Node) -> Iterator[tuple[str, str]]:
    for node in root.named_children:
        if node.type == "function_declaration" and _go_exported(_name(node)):
            yield _name(node), _signature(node, "type_parameters", "parameters", "result")
        elif node.type == "method_declaration" and _go_exported(_name(node)):
            receiver = _text(node.child_by_field_name("receiver"))
            yield f"{receiver} {_name(node)}", _signature(node, "parameters", "result")
        elif node.type == "type_declaration":
            for spec in node.named_children:
                if spec.type == "type_spec" and _go_exported(_name(spec)):
                    yield _name(spec), _go_type(spec.child_by_field_name("type"))


def _go_type(node: Node | None) -> str:
    if node is None or node.type != "struct_type":
        return _text(node)
    # Unexported fields are not API: only exported ones (and embedded types) count.
    fields = []
    for declaration_list in node.named_children:
        for field in declaration_list.named_children:
            names = [_text(n) for n in field.children_by_field_name("name")]
            if not names or any(_go_exported(n) for n in names):
                fields.append(_text(field))
    return "struct { " + "; ".join(fields) + " }"


# Rust ---------------------------------------------------------------------------------

_RUST_ITEMS = {
    "struct_item",
    "enum_item",
    "trait_item",
    "type_item",
    "const_item",
    "static_item",
    "union_item",
}


def _rust_public(node: Node) -> bool:
    return any(child.type == "visibility_modifier" for child in node.children)


def _rust(block: Node, prefix: str) -> Iterator[tuple[str, str]]:
    for node in block.named_children:
        if node.type == "impl_item":
            body = node.child_by_field_name("body")
            if body is not None:
                yield from _rust(body, _text(node.child_by_field_name("type")) + "::")
        elif node.type == "mod_item" and _rust_public(node):
            body = node.child_by_field_name("body")
            if body is not None:
                yield from _rust(body, f"{prefix}{_name(node)}::")
        elif not _rust_public(node):
            continue
        elif node.type in ("function_item", "function_signature_item"):
            yield (
                prefix + _name(node),
                _signature(node, "type_parameters", "parameters", "return_type"),
            )
        elif node.type == "struct_item":
            yield prefix + _name(node), _rust_struct(node)
        elif node.type in _RUST_ITEMS:
            yield prefix + _name(node), _text(node)


def _rust_struct(node: Node) -> str:
    body = node.child_by_field_name("body")
    if body is None or body.type != "field_declaration_list":
        return _text(node)
    fields = [_text(f) for f in body.named_children if _rust_public(f)]
    return f"struct {_signature(node, 'type_parameters')} {{ {'; '.join(fields)} }}"
