"""The command line: `python cli.py add TITLE`, `python cli.py list`, `python cli.py done N`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from todo import TodoList

DEFAULT_FILE = Path("todo.txt")


def main(argv: list[str] | None = None) -> int:
    """Runs one command on the to-do list; returns the exit status."""
    parser = argparse.ArgumentParser(prog="todo", description="A small to-do list.")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="where the list is kept")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add an item")
    add.add_argument("title")
    commands.add_parser("list", help="show every item")
    done = commands.add_parser("done", help="mark an item as done")
    done.add_argument("number", type=int)
    args = parser.parse_args(argv)

    todos = TodoList(args.file)
    todos.load()
    if args.command == "add":
        item = todos.add(args.title)
        todos.save()
        print(f"added: {item.title}")
    elif args.command == "done":
        item = todos.complete(args.number)
        todos.save()
        print(f"done: {item.title}")
    else:
        for number, item in enumerate(todos.items, start=1):
            print(f"{number:>3}. [{'x' if item.done else ' '}] {item.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
