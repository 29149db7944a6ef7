"""The architectural detector: for every rule, a step it flags and a step it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.decisions.detector import FileChange, changes_from_diffs, detect, existed_in
from slowcode.engine.staging.diffs import diff_texts


def nothing_existed(path: str) -> bool:
    return False


def everything_existed(path: str) -> bool:
    return True


def edit(path: str, old: str, new: str) -> list[str]:
    return detect([FileChange(path, old, new)], everything_existed)


# Dependencies: (manifest, before, after adding one, after only a version bump, name).
MANIFESTS = [
    (
        "pyproject.toml",
        '[project]\nname = "x"\ndependencies = ["httpx>=0.27"]\n',
        '[project]\nname = "x"\ndependencies = ["httpx>=0.27", "Rich_Text[x]>=1"]\n',
        '[project]\nname = "x"\ndependencies = ["httpx>=0.28"]\n',
        "rich-text",
    ),
    (
        "requirements-dev.txt",
        "# tools\nhttpx==0.27\n-r base.txt\n",
        "# tools\nhttpx==0.27\n-r base.txt\npytest>=8  # tests\n",
        "# tools\nhttpx==0.28\n-r base.txt\n",
        "pytest",
    ),
    (
        "web/package.json",
        '{"dependencies": {"react": "^18"}}',
        '{"dependencies": {"react": "^18"}, "devDependencies": {"vite": "^5"}}',
        '{"dependencies": {"react": "^19"}}',
        "vite",
    ),
    (
        "Cargo.toml",
        '[package]\nname = "x"\n[dependencies]\nserde = "1"\n',
        '[package]\nname = "x"\n[dependencies]\nserde = "1"\n[dev-dependencies]\ntokio = "1"\n',
        '[package]\nname = "x"\n[dependencies]\nserde = "1.0.200"\n',
        "tokio",
    ),
    (
        "go.mod",
        "module x\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.1.0\n)\n",
        "module x\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.1.0\n\t"
        "github.com/pkg/errors v0.9.1 // indirect\n)\n",
        "module x\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/net v0.2.0\n)\n",
        "github.com/pkg/errors",
    ),
    (
        "Gemfile",
        "source 'https://rubygems.org'\ngem 'rails', '~> 7'\n",
        "source 'https://rubygems.org'\ngem 'rails', '~> 7'\ngem \"pg\"\n",
        "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n",
        "pg",
    ),
    (
        "pom.xml",
        "<project><dependencies><dependency><groupId>junit</groupId>"
        "<artifactId>junit</artifactId><version>4</version></dependency></dependencies></project>",
        "<project><dependencies><dependency><groupId>junit</groupId>"
        "<artifactId>junit</artifactId><version>4</version></dependency>"
        "<dependency><groupId>com.google</groupId><artifactId>guava</artifactId>"
        "</dependency></dependencies></project>",
        "<project><dependencies><dependency><groupId>junit</groupId>"
        "<artifactId>junit</artifactId><version>5</version></dependency></dependencies></project>",
        "com.google:guava",
    ),
    (
        "app/build.gradle.kts",
        'dependencies {\n    implementation("com.squareup:okio:3.0")\n}\n',
        'dependencies {\n    implementation("com.squareup:okio:3.0")\n'
        '    testImplementation("org.junit:junit:5")\n}\n',
        'dependencies {\n    implementation("com.squareup:okio:3.9")\n}\n',
        "org.junit:junit",
    ),
]


@pytest.mark.parametrize(("path", "before", "added", "bumped", "name"), MANIFESTS)
def test_dependency_added_or_removed(
    path: str, before: str, added: str, bumped: str, name: str
) -> None:
    assert edit(path, before, added) == [f"adds dependency `{name}` to {path}"]
    assert edit(path, added, before) == [f"removes dependency `{name}` from {path}"]
    assert edit(path, before, bumped) == []


def test_a_new_manifest_adds_its_dependencies() -> None:
    change = FileChange("sub/requirements.txt", None, "httpx\n")
    assert detect([change], everything_existed) == [
        "adds dependency `httpx` to sub/requirements.txt"
    ]


def test_new_top_level_directory() -> None:
    files = [FileChange("billing/api.txt", None, "x"), FileChange("billing/b.txt", None, "y")]
    assert detect(files, nothing_existed) == ["adds the top-level directory billing/"]
    assert detect(files, everything_existed) == []


def test_new_top_level_module() -> None:
    assert detect([FileChange("cache.py", None, "X = 1\n")], nothing_existed) == [
        "adds the top-level module cache.py"
    ]
    assert detect([FileChange("NOTES.md", None, "notes\n")], nothing_existed) == []


def test_new_package() -> None:
    change = FileChange("app/billing/__init__.py", None, "")
    assert detect([change], lambda path: path == "app") == ["adds the package app.billing"]
    assert detect([change], everything_existed) == []


def test_deleted_module() -> None:
    assert detect([FileChange("app/old.py", "x = 1\n", None)], everything_existed) == [
        "deletes the module app/old.py"
    ]
    assert detect([FileChange("docs/old.md", "x\n", None)], everything_existed) == []


PY_OLD = """\
def greet(name):
    return "hi " + name


def _helper(x):
    return x


class Greeter(Base):
    def __init__(self, name):
        self.name = name

    def hello(self):
        return greet(self.name)

    def _secret(self, x):
        return x
"""


@pytest.mark.parametrize(
    ("old", "new", "reasons"),
    [
        (PY_OLD, PY_OLD.replace('"hi "', '"hello "'), []),
        (PY_OLD, PY_OLD.replace("_helper(x)", "_helper(x, y)"), []),
        (PY_OLD, PY_OLD.replace("_secret(self, x)", "_secret(self)"), []),
        (PY_OLD, PY_OLD + "\n\ndef new_public():\n    pass\n", []),
        (
            PY_OLD,
            PY_OLD.replace("greet(name)", "greet(name, polite=False)"),
            ["changes the signature of the public `greet` in app.py"],
        ),
        (
            PY_OLD,
            PY_OLD.replace("__init__(self, name)", "__init__(self, name, loud)"),
            ["changes the signature of the public `Greeter.__init__` in app.py"],
        ),
        (
            PY_OLD,
            PY_OLD.replace("Greeter(Base)", "Greeter"),
            ["changes the signature of the public `Greeter` in app.py"],
        ),
        (
            PY_OLD,
            PY_OLD.replace("def hello(self):\n        return greet(self.name)\n", ""),
            ["removes the public `Greeter.hello` from app.py"],
        ),
    ],
)
def test_python_public_signatures(old: str, new: str, reasons: list[str]) -> None:
    assert edit("app.py", old, new) == reasons


@pytest.mark.parametrize(
    ("path", "old", "changed", "body_only"),
    [
        (
            "src/api.ts",
            "export function get(id: number): Item { return load(id) }\nfunction local(a) {}\n",
            "export function get(id: string): Item { return load(id) }\nfunction local(a) {}\n",
            "export function get(id: number): Item { return fetch(id) }\nfunction local(a, b) {}\n",
        ),
        (
            "src/util.js",
            "export const sum = (a, b) => a + b\nexport class Cart { add(item) {} #p() {} }\n",
            "export const sum = (a, b) => a + b\nexport class Cart { add(item, n) {} #p() {} }\n",
            "export const sum = (a, b) => b + a\nexport class Cart { add(item) {} #p(x) {} }\n",
        ),
        (
            "pkg/store.go",
            "package store\n\nfunc Open(path string) (*DB, error) { return nil, nil }\n"
            "func helper() {}\ntype DB struct { Path string; conn int }\n",
            "package store\n\nfunc Open(path string, ro bool) (*DB, error) { return nil, nil }\n"
            "func helper() {}\ntype DB struct { Path string; conn int }\n",
            "package store\n\nfunc Open(path string) (*DB, error) { return &DB{}, nil }\n"
            "func helper(x int) {}\ntype DB struct { Path string; conn string }\n",
        ),
        (
            "src/lib.rs",
            "pub fn parse(s: &str) -> Ast { todo!() }\nfn inner() {}\n"
            "pub struct Ast { pub root: Node, depth: u32 }\n",
            "pub fn parse(s: &str) -> Result<Ast> { todo!() }\nfn inner() {}\n"
            "pub struct Ast { pub root: Node, depth: u32 }\n",
            "pub fn parse(s: &str) -> Ast { unimplemented!() }\nfn inner(x: u8) {}\n"
            "pub struct Ast { pub root: Node, depth: u64 }\n",
        ),
    ],
)
def test_exported_signatures_in_other_languages(
    path: str, old: str, changed: str, body_only: str
) -> None:
    reasons = edit(path, old, changed)
    assert len(reasons) == 1
    assert reasons[0].startswith("changes the signature of the public `")
    assert reasons[0].endswith(f"in {path}")
    assert edit(path, old, body_only) == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (
            "app/migrations/0002_add_user.py",
            "touches the migration app/migrations/0002_add_user.py",
        ),
        ("alembic/versions/abc.py", "touches the migration alembic/versions/abc.py"),
        ("db/schema.sql", "touches the schema db/schema.sql"),
        ("prisma/schema.prisma", "touches the schema prisma/schema.prisma"),
        ("proto/user.proto", "touches the schema proto/user.proto"),
        (".github/workflows/ci.yml", "touches the CI configuration .github/workflows/ci.yml"),
        (".gitlab-ci.yml", "touches the CI configuration .gitlab-ci.yml"),
        ("Jenkinsfile", "touches the CI configuration Jenkinsfile"),
        ("Dockerfile", "touches the container file Dockerfile"),
        ("deploy/Dockerfile.prod", "touches the container file deploy/Dockerfile.prod"),
        ("docker-compose.yml", "touches the container file docker-compose.yml"),
    ],
)
def test_schema_migration_ci_and_container_files(path: str, reason: str) -> None:
    assert edit(path, "a\n", "b\n") == [reason]


@pytest.mark.parametrize(
    "path",
    ["app/models.txt", "docs/migrating.md", "github/workflows.txt", "docker.md", "ci.yml"],
)
def test_ordinary_files_are_not_flagged(path: str) -> None:
    assert edit(path, "a\n", "b\n") == []


def test_reads_a_steps_file_diffs(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(PY_OLD, encoding="utf-8")
    files = diff_texts(
        {
            "app.py": (PY_OLD, PY_OLD.replace("greet(name)", "greet(who)")),
            "tools/run.sh": (None, "echo\n"),
        }
    )
    reasons = detect(changes_from_diffs(files), existed_in(tmp_path))
    assert reasons == [
        "adds the top-level directory tools/",
        "changes the signature of the public `greet` in app.py",
    ]
