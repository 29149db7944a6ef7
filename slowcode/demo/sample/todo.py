"""A small to-do list kept in a plain text file, one item per line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Item:
    """One thing to do."""

    title: str
    done: bool = False


class TodoList:
    """The to-do list, loaded from and saved to `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[Item] = []

    def load(self) -> None:
        """Reads the items from the file; a missing file is an empty list."""
        self.items = []
        if not self.path.exists():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.startswith("[x] "):
                self.items.append(Item(line[4:], done=True))
            elif line.startswith("[ ] "):
                self.items.append(Item(line[4:]))

    def save(self) -> None:
        """Writes the items back to the file."""
        lines = [f"[{'x' if item.done else ' '}] {item.title}" for item in self.items]
        self.path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def add(self, title: str) -> Item:
        """Adds an item at the end of the list."""
        item = Item(title.strip())
        self.items.append(item)
        return item

    def complete(self, number: int) -> Item:
        """Marks the item with this 1-based number as done."""
        if not 1 <= number <= len(self.items):
            raise IndexError(f"there is no item {number}")
        item = self.items[number - 1]
        item.done = True
        return item
