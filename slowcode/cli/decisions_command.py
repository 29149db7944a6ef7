"""`slowcode decisions [list | show N | search TEXT]`: the decision log from the shell."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from slowcode.decisions.record import DecisionRecord
from slowcode.decisions.store import DecisionStore
from slowcode.engine.errors import SlowcodeError


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode decisions`."""
    parser = argparse.ArgumentParser(
        prog="slowcode decisions",
        description=(
            "The project's decision records: list them, show one, or search them. The "
            "folder and format (MADR 4, adr-tools, log4brains) are detected."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument(
        "-C", dest="path", default=".", metavar="PATH", help="a folder inside the repository"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="every record: number, status, date, title")
    show = actions.add_parser("show", help="one record in full")
    show.add_argument("number", type=int, metavar="N", help="the record's number")
    search = actions.add_parser("search", help="records whose text contains TEXT")
    search.add_argument("text", metavar="TEXT", help="words to look for (case-insensitive)")
    for sub in (listing, show, search):
        # SUPPRESS: without it the sub-command's default would undo `decisions --json show`.
        sub.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
        )
    parser.set_defaults(run=run_decisions, action="list")
    return parser


def open_store(path: Path) -> DecisionStore:
    """The decision store of the repository containing `path`, as configured."""
    from slowcode.engine.config import load_config
    from slowcode.engine.gitrepo import GitRepo

    repo = GitRepo.open(path)
    config = load_config(repo.root, os.environ, {})
    return DecisionStore(repo.root, config.decisions_dir)


def matches(record: DecisionRecord, text: str) -> bool:
    """Whether `text` occurs (case-insensitively) anywhere in the record."""
    needle = text.casefold()
    options = " ".join(f"{o.title} {' '.join(o.pros)} {' '.join(o.cons)}" for o in record.options)
    haystack = " ".join(
        [record.title, record.context, record.outcome, record.consequences, record.chosen, options]
    )
    return needle in haystack.casefold()


def record_json(record: DecisionRecord) -> dict[str, object]:
    """A record as a JSON object (the status as its word)."""
    data = asdict(record)
    data["status"] = record.status.value
    return data


def list_line(record: DecisionRecord) -> str:
    """`0003  accepted    2026-11-21  Use PostgreSQL`."""
    number = f"{record.number:04d}" if record.number is not None else "----"
    return f"{number}  {record.status.value:<10}  {record.date or '-':<10}  {record.title}"


def run_decisions(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Runs `slowcode decisions`; a missing record is a one-line error (status 1)."""
    out = out or sys.stdout
    store = open_store(Path(args.path))
    records = store.records()
    if args.action == "show":
        record = next((r for r in records if r.number == args.number), None)
        if record is None:
            raise SlowcodeError(f"no decision record {args.number} in {store.layout.label}")
        if args.json:
            print(json.dumps(record_json(record), ensure_ascii=False, indent=2), file=out)
        else:
            assert record.path is not None
            print((store.root / record.path).read_text(encoding="utf-8").rstrip("\n"), file=out)
        return 0
    if args.action == "search":
        records = [r for r in records if matches(r, args.text)]
    if args.json:
        payload = {
            "folder": store.folder,
            "format": store.format.value,
            "records": [record_json(r) for r in records],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
    elif records:
        print("\n".join(list_line(r) for r in records), file=out)
    elif args.action == "search":
        print(f"no decision record mentions {args.text!r}", file=out)
    else:
        print(f"no decision records yet in {store.layout.label}", file=out)
    return 0
