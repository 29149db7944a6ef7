"""The installed `slowcode` under tmux, fed hostile text: the terminal never receives its escapes.

Everything tmux's pane receives is copied to a file (`pipe-pane`), so the test
reads the very bytes slowcode wrote to its terminal, not a rendering of them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeapi import FakeMessagesAPI
from tests.tui.hostile_walk import SEQUENCES_FROM_INPUT, hostile_turns, repository

from .test_tmux import EXIT_MARKER, SLOWCODE, Tmux

pytestmark = pytest.mark.e2e

PIECES = (
    "[/x]",
    "[@click=screen.accept_all]Guard[/]",
    "\x1b]52;c;SGVsbG8=\x07",
    "\x1b[2J\x1b[6n",
    "\x9b6n",
    "\u202eevil",
    "\ud800",
)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Tmux]:
    """A private tmux server, stopped after the test."""
    assert shutil.which("tmux"), "tmux is needed for the end-to-end test"
    session = Tmux(tmp_path / "tmux.sock")
    try:
        yield session
    finally:
        session.stop()


def test_no_escape_sequence_from_the_model_reaches_the_terminal(
    tmp_path: Path, terminal: Tmux
) -> None:
    tmux = terminal
    (tmp_path / "repo").mkdir()
    root = repository(tmp_path / "repo", "notes.txt")
    raw = tmp_path / "terminal.raw"
    with FakeMessagesAPI() as server:
        server.script(*hostile_turns(PIECES, "notes.txt"))
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("ANTHROPIC_", "SLOWCODE_", "TMUX"))
        }
        environment.update(
            ANTHROPIC_BASE_URL=server.base_url,
            ANTHROPIC_API_KEY="e2e-key",
            XDG_CONFIG_HOME=str(tmp_path / "config"),
            TERM="xterm-256color",
        )
        tmux.start(f"sleep 1; {SLOWCODE}; echo {EXIT_MARKER} $?; sleep 60", root, environment)
        tmux.run("pipe-pane", "-t", "e2e", "-o", f"cat >> {raw}")
        tmux.wait_for("Describe a task")
        tmux.type("a task")
        tmux.keys("Enter")
        tmux.wait_for("Title [/x]")  # the plan, with the model's commentary beside it
        tmux.keys("Enter")  # approve it: the model asks a question
        tmux.wait_for("Option [/x]")
        tmux.keys("Enter")
        tmux.wait_for("hunk 1/")  # the review: title, explanation, file, diff lines
        tmux.wait_for("Line [/x]")
        tmux.keys("q")
        pane = tmux.wait_for(EXIT_MARKER)
        assert f"{EXIT_MARKER} 0" in pane, pane

    written = raw.read_bytes().decode("utf-8", "surrogateescape")
    assert "␛]52;c;SGVsbG8=␇" in written  # the hostile text was drawn, made visible
    # A lone BEL is not looked for: Textual ends its own pointer-shape sequence (OSC 22) with one.
    searched = [sequence for sequence in SEQUENCES_FROM_INPUT if sequence != "\x07"]
    leaked = [sequence for sequence in searched if sequence in written]
    assert not leaked, f"the terminal received {leaked!r}"
