"""The secrets policy: names in any case, through symbolic links, and slowcode's own folder."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slowcode.context.policy import ContextPolicy
from slowcode.core.errors import ToolInputError
from slowcode.core.paths import PathPolicy

SECRET_NAMES = (
    ".env",
    ".envrc",
    ".env_prod",
    ".env.local",
    ".netrc",
    ".npmrc",
    ".pypirc",
    ".git-credentials",
    ".aws/credentials",
    ".ssh/config",
    "id_rsa",
    "id_ed25519",
    "id_ecdsa_sk",
    "server.pem",
    "tls.key",
    "cert.p12",
    "cert.pfx",
    "putty.ppk",
    "vault.kdbx",
)
"""At least the issue's list; each must be refused however it is spelt or reached."""


def _repository(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "app.py").write_text("print('hi')\n")
    return root


def _write(path: Path, text: str = "SECRET=1\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _cased(name: str, mask: int) -> str:
    return "".join(c.upper() if mask >> (i % 30) & 1 else c for i, c in enumerate(name))


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_every_listed_credential_file_is_refused_in_any_case(tmp_path: Path, name: str) -> None:
    root = _repository(tmp_path / "repo")
    policy = ContextPolicy(root)
    for spelt in (name, name.upper(), f"sub/{name}"):
        assert policy.is_excluded(spelt), spelt
    assert not policy.is_excluded("app.py")


LINK_NAME = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz_-.0123456789", min_size=1, max_size=12
).filter(
    lambda name: (
        name not in (".", "..") and not name.startswith(".env") and not name.startswith("id_")
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.sampled_from(SECRET_NAMES),
    mask=st.integers(min_value=0, max_value=2**30),
    link=LINK_NAME,
    folder=st.sampled_from(["", "docs/", "a/b/"]),
    outside=st.booleans(),
)
def test_a_link_to_a_secret_is_refused_like_the_secret(
    secret: str, mask: int, link: str, folder: str, outside: bool
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        root = _repository(base / "repo")
        target_root = base / "home" if outside else root
        target = target_root / _cased(secret, mask)
        _write(target)
        link_path = root / folder / f"{link}.txt"
        link_path.parent.mkdir(parents=True, exist_ok=True)
        link_path.symlink_to(target)
        policy = ContextPolicy(root)
        rel = f"{folder}{link}.txt"
        assert policy.is_excluded(rel), (rel, target)
        # A link to an ordinary file is read as usual.
        plain = root / folder / f"{link}.plain"
        plain.symlink_to(root / "app.py")
        assert not policy.is_excluded(f"{folder}{link}.plain")


@settings(max_examples=60, deadline=None)
@given(
    mask=st.integers(min_value=0, max_value=2**30),
    tail=st.sampled_from(["sessions/x/journal.jsonl", "instance.lock", "", "new.txt"]),
)
def test_the_state_folder_is_never_read_or_written_whatever_gitignore_says(
    mask: int, tail: str
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = _repository(Path(scratch) / "repo")
        (root / ".gitignore").write_text("!.slowcode/\n")
        _write(root / ".slowcode" / "sessions" / "x" / "journal.jsonl", "{}\n")
        (root / "state").symlink_to(root / ".slowcode")
        rel = "/".join(part for part in (_cased(".slowcode", mask), tail) if part)
        policy = ContextPolicy(root)
        assert policy.is_excluded(rel)
        assert policy.is_excluded("state/sessions/x/journal.jsonl")
        paths = PathPolicy(root)
        for for_write in (False, True):
            with pytest.raises(ToolInputError, match=r"\.slowcode/|symbolic link"):
                paths.resolve(rel, for_write=for_write)
        with pytest.raises(ToolInputError, match=r"\.slowcode/"):
            paths.resolve("state/sessions/x/journal.jsonl", for_write=False)


def test_a_path_inside_a_submodule_is_refused(tmp_path: Path) -> None:
    root = _repository(tmp_path / "repo")
    _repository(root / "vendor" / "lib")
    (root / "vendor" / "lib" / "mod.py").write_text("x = 1\n")
    paths = PathPolicy(root)
    for for_write in (False, True):
        with pytest.raises(ToolInputError, match="submodule"):
            paths.resolve("vendor/lib/mod.py", for_write=for_write)
    paths.resolve("app.py", for_write=True)
