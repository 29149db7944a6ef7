"""The dependencies a package manifest declares, by name, for the architectural detector.

Only names matter: a version bump is not an architectural change, a new or dropped
dependency is. Each reader is lenient: a manifest that does not parse declares
nothing it can read, rather than failing the step.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable
from typing import Any

_PEP508_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([\w.~/-]+\.[\w.~/-]+|[\w-]+/[\w./~-]+)\s+v\S+")
_GEM = re.compile(r"""^\s*gem\s*\(?\s*['"]([^'"]+)['"]""", re.M)
_POM_DEPENDENCY = re.compile(r"<dependency>(.*?)</dependency>", re.S)
_POM_FIELD = re.compile(r"<(groupId|artifactId)>\s*([^<\s]+)\s*</\1>")
_GRADLE = re.compile(
    r"""\b(?:implementation|api|compileOnly|runtimeOnly|testImplementation|testCompileOnly|"""
    r"""testRuntimeOnly|annotationProcessor|kapt|ksp|classpath|compile|testCompile)"""
    r"""\s*\(?\s*['"]([^'":]+:[^'":]+)(?::[^'"]*)?['"]"""
)
_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _normalized(name: str) -> str:
    """PEP 503 normalization, harmless for other ecosystems' names."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pep508_names(requirements: Iterable[Any]) -> set[str]:
    names = set()
    for requirement in requirements:
        if isinstance(requirement, str):
            match = _PEP508_NAME.match(requirement)
            if match:
                names.add(_normalized(match.group(1)))
    return names


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _table(data: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def pyproject(text: str) -> set[str]:
    """PEP 621 dependencies, optional ones, dependency groups, build requires and Poetry's."""
    data = _toml(text)
    project = _table(data, "project")
    names = _pep508_names(project.get("dependencies") or [])
    for group in _table(project, "optional-dependencies").values():
        names |= _pep508_names(group if isinstance(group, list) else [])
    for group in _table(data, "dependency-groups").values():
        names |= _pep508_names(group if isinstance(group, list) else [])
    names |= _pep508_names(_table(data, "build-system").get("requires") or [])
    poetry = _table(data, "tool", "poetry")
    tables = [_table(poetry, "dependencies"), _table(poetry, "dev-dependencies")]
    tables += [_table(group, "dependencies") for group in _table(poetry, "group").values()]
    for table in tables:
        names |= {_normalized(name) for name in table if name != "python"}
    return names


def requirements(text: str) -> set[str]:
    """Names in a pip requirements file (options and includes are not dependencies)."""
    lines = (line.split(" #", 1)[0].strip() for line in text.splitlines())
    return _pep508_names(line for line in lines if line and not line.startswith(("#", "-")))


def package_json(text: str) -> set[str]:
    """npm's dependencies, devDependencies, peerDependencies and optionalDependencies."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return set()
    names: set[str] = set()
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        names |= set(_table(data, key))
    return names


def cargo_toml(text: str) -> set[str]:
    """Cargo's dependency tables, including per-target and workspace ones."""
    data = _toml(text)
    kinds = ("dependencies", "dev-dependencies", "build-dependencies")
    names = {name for kind in kinds for name in _table(data, kind)}
    for target in _table(data, "target").values():
        names |= {name for kind in kinds for name in _table(target, kind)}
    names |= set(_table(data, "workspace", "dependencies"))
    return names


def go_mod(text: str) -> set[str]:
    """Module paths in `require` lines and blocks (indirect ones too)."""
    names, in_block = set(), False
    for line in text.splitlines():
        stripped = line.split("//", 1)[0].strip()
        if stripped.startswith("require ("):
            in_block = True
            continue
        if in_block and stripped == ")":
            in_block = False
            continue
        if in_block or stripped.startswith("require "):
            match = _GO_REQUIRE.match(stripped)
            if match:
                names.add(match.group(1))
    return names


def gemfile(text: str) -> set[str]:
    """`gem "name"` lines."""
    return set(_GEM.findall(text))


def pom_xml(text: str) -> set[str]:
    """`groupId:artifactId` of every `<dependency>`."""
    names = set()
    for block in _POM_DEPENDENCY.findall(_XML_COMMENT.sub("", text)):
        fields = dict(_POM_FIELD.findall(block))
        if "artifactId" in fields:
            names.add(f"{fields.get('groupId', '')}:{fields['artifactId']}")
    return names


def build_gradle(text: str) -> set[str]:
    """`group:artifact` of dependency declarations in Groovy or Kotlin DSL."""
    return set(_GRADLE.findall(text))


def reader_for(name: str) -> Callable[[str], set[str]] | None:
    """The reader for a manifest's file name, or None when it is no manifest."""
    if name == "pyproject.toml":
        return pyproject
    if name.startswith("requirements") and name.endswith(".txt"):
        return requirements
    if name.startswith("build.gradle"):
        return build_gradle
    return {
        "package.json": package_json,
        "Cargo.toml": cargo_toml,
        "go.mod": go_mod,
        "Gemfile": gemfile,
        "pom.xml": pom_xml,
    }.get(name)
