"""`slowcode trust [list|revoke]`: the project-provided check commands this user has trusted."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from slowcode.core.errors import SlowcodeError
from slowcode.core.literal import visible_line
from slowcode.core.trust import TrustedCommand, TrustStore


def _line(entry: TrustedCommand) -> str:
    return visible_line(
        f"{entry.sha256[:12]}  {entry.repository}  ({entry.source}, {entry.trusted_at})  "
        f"{entry.command}"
    )


def run_list(store: TrustStore, out: TextIO | None = None) -> int:
    """Prints one line per trusted command: hash, repository, source, date, command."""
    stream = out or sys.stdout
    entries = store.entries()
    if not entries:
        print(f"no trusted check commands ({store.path})", file=stream)
    for entry in entries:
        print(_line(entry), file=stream)
    return 0


def run_revoke(
    store: TrustStore,
    *,
    prefix: str = "",
    directory: Path | None = None,
    every: bool = False,
    out: TextIO | None = None,
) -> int:
    """Forgets the trusts whose hash starts with `prefix`, or those of a repository.

    Raises:
        SlowcodeError: Nothing was named, or nothing matched.
    """
    if not (prefix or every or directory is not None):
        raise SlowcodeError("name a command's hash (see `slowcode trust list`), -C PATH or --all")
    repository = None
    if directory is not None:
        from slowcode.cli.audit_command import repository_root

        repository = repository_root(directory)
    gone = store.revoke(repository=repository, prefix=prefix)
    if not gone:
        raise SlowcodeError("no trusted check command matches; see `slowcode trust list`")
    for entry in gone:
        print(f"revoked {_line(entry)}", file=out or sys.stdout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode trust`."""
    parser = argparse.ArgumentParser(
        prog="slowcode trust",
        description=(
            "A check_command from a repository's own .slowcode.toml or pyproject.toml runs "
            "only once you trusted that exact command for that repository (asked the first "
            "time it would run). These are the commands you trusted."
        ),
    )
    actions = parser.add_subparsers(dest="action")
    actions.add_parser("list", help="every trusted command (the default)")
    revoke = actions.add_parser("revoke", help="forget trusted commands")
    revoke.add_argument("hash", nargs="?", default="", help="the start of a command's hash")
    revoke.add_argument(
        "-C", dest="directory", metavar="PATH", help="every command trusted for PATH's repository"
    )
    revoke.add_argument("--all", action="store_true", help="every trusted command")

    def run(args: argparse.Namespace) -> int:
        store = TrustStore()
        if args.action == "revoke":
            directory = Path(args.directory) if args.directory else None
            return run_revoke(store, prefix=args.hash, directory=directory, every=args.all)
        return run_list(store)

    parser.set_defaults(run=run)
    return parser
