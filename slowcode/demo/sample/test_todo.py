"""Tests of the to-do list."""

from __future__ import annotations

from pathlib import Path

import pytest

from todo import TodoList


def test_added_items_are_not_done(tmp_path: Path) -> None:
    todos = TodoList(tmp_path / "todo.txt")
    item = todos.add("  water the plants ")
    assert item.title == "water the plants"
    assert not item.done


def test_items_survive_a_save_and_a_load(tmp_path: Path) -> None:
    path = tmp_path / "todo.txt"
    todos = TodoList(path)
    todos.add("buy bread")
    todos.add("call the plumber")
    todos.complete(2)
    todos.save()

    again = TodoList(path)
    again.load()
    assert [(item.title, item.done) for item in again.items] == [
        ("buy bread", False),
        ("call the plumber", True),
    ]


def test_completing_a_missing_item_fails(tmp_path: Path) -> None:
    todos = TodoList(tmp_path / "todo.txt")
    with pytest.raises(IndexError):
        todos.complete(1)
