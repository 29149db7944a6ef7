"""Definitions and references per language, from the grammars shipped in the wheel."""

from __future__ import annotations

import pytest

from slowcode.context.tags import LANGUAGE_BY_SUFFIX, MAX_FILE_BYTES, extract_tags, language_for

# (language, source, names defined, names referred to)
CASES = [
    (
        "python",
        "from pkg.mod import Base\nclass Shape(Base):\n    def area(self):\n"
        "        return compute_area(self)\n",
        {"Shape", "area"},
        {"Base", "compute_area"},
    ),
    (
        "javascript",
        "import { Vector3 } from './v.js';\nclass Box extends Mesh {\n"
        "  area() { return computeArea(this); }\n}\nfunction make() { return new Vector3(); }\n",
        {"Box", "area", "make"},
        {"Mesh", "Vector3", "computeArea"},
    ),
    (
        "typescript",
        "interface Shape { area(): number }\nclass Box implements Shape {\n"
        "  area(): number { return computeArea(this); }\n}\n"
        "function make(s: Shape): Box { return new Box(); }\n",
        {"Shape", "Box", "area", "make"},
        {"Shape", "Box", "computeArea"},
    ),
    (
        "tsx",
        "interface Props { name: string }\n"
        "function Greeting(p: Props) { return renderName(p.name); }\n",
        {"Props", "Greeting"},
        {"Props", "renderName"},
    ),
    (
        "go",
        "package shapes\ntype Shape interface { Area() float64 }\ntype Box struct{}\n"
        "func (b Box) Area() float64 { return computeArea(b) }\n"
        "func Make() Shape { return Box{} }\n",
        {"Shape", "Box", "Area", "Make"},
        {"Shape", "Box", "computeArea"},
    ),
    (
        "rust",
        "pub trait Shape { fn area(&self) -> f64; }\npub struct Square;\n"
        "impl Shape for Square { fn area(&self) -> f64 { compute_area(self) } }\n"
        "fn make() -> Square { Square::new() }\n",
        {"Shape", "Square", "area", "make"},
        {"Shape", "Square", "compute_area", "new"},
    ),
    (
        "java",
        "class Box implements Shape {\n  double area() { return computeArea(this); }\n}\n"
        "interface Shape { double area(); }\n",
        {"Box", "Shape", "area"},
        {"Shape", "computeArea"},
    ),
    (
        "c",
        "struct point { int x; };\ntypedef struct point point_t;\n"
        "int area(point_t *p) { return compute_area(p); }\n",
        {"point", "point_t", "area"},
        {"point_t", "compute_area"},
    ),
    (
        "cpp",
        "namespace geo {\nclass Box : public Shape {\n public:\n"
        "  double area() const { return computeArea(*this); }\n};\n}\n",
        {"geo", "Box", "area"},
        {"Shape", "computeArea"},
    ),
    (
        "csharp",
        "class Box : Shape {\n  public double Area() { return ComputeArea(this); }\n}\n"
        "interface Shape { double Area(); }\n",
        {"Box", "Shape", "Area"},
        {"Shape", "ComputeArea"},
    ),
    (
        "ruby",
        "module Geo\n  class Box < Shape\n    def area\n"
        "      compute_area(self)\n    end\n  end\nend\n",
        {"Geo", "Box", "area"},
        {"Shape", "compute_area"},
    ),
    (
        "php",
        "<?php\nclass Box extends Shape {\n  function area() { return compute_area($this); }\n}\n"
        "function make() { return new Box(); }\n",
        {"Box", "area", "make"},
        {"Shape", "Box", "compute_area"},
    ),
    (
        "kotlin",
        "class Box : Shape {\n  fun area(): Double { return computeArea(this) }\n}\n"
        "interface Shape\n",
        {"Box", "Shape", "area"},
        {"Shape", "computeArea"},
    ),
    (
        "swift",
        "protocol Shape { func area() -> Double }\nclass Box: Shape {\n"
        "  func area() -> Double { return computeArea(self) }\n}\n",
        {"Shape", "Box", "area"},
        {"Shape", "computeArea"},
    ),
]


@pytest.mark.parametrize(
    ("language", "source", "defined", "used"), CASES, ids=[c[0] for c in CASES]
)
def test_each_language_finds_definitions_and_references(
    language: str, source: str, defined: set[str], used: set[str]
) -> None:
    defs, refs = extract_tags(source.encode(), language)
    assert {name for name, _, _ in defs} == defined
    assert used <= {name for name, _ in refs}
    # Each definition carries the line it is on.
    lines = source.splitlines()
    for name, line, text in defs:
        assert text == lines[line].rstrip()
        assert name in text


def test_every_language_above_is_mapped() -> None:
    assert {case[0] for case in CASES} <= set(LANGUAGE_BY_SUFFIX.values())
    assert language_for("src/App.TSX") == "tsx"
    assert language_for("lib/x.rs") == "rust"
    assert language_for("README.md") is None


def test_definitions_come_in_source_order_with_their_line() -> None:
    source = b"def b():\n    pass\n\n\nclass A:\n    def c(self):\n        b()\n"
    defs, refs = extract_tags(source, "python")
    assert [(name, line) for name, line, _ in defs] == [("b", 0), ("A", 4), ("c", 5)]
    assert refs == (("b", 1),)


def test_huge_files_are_not_parsed() -> None:
    source = b"def f():\n    pass\n" * (MAX_FILE_BYTES // 10)
    assert extract_tags(source, "python") == ((), ())


def test_broken_source_still_yields_what_parses() -> None:
    defs, _ = extract_tags(b"def good():\n    return 1\n\ndef bad(:\n", "python")
    assert "good" in {name for name, _, _ in defs}
