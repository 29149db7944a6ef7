"""The installed `slowcode` command, driven through tmux like a developer would.

The model is the demo's recorded session, served by a loopback Messages API
server in this process; the real SDK inside `slowcode` talks to it through
ANTHROPIC_BASE_URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from slowcode.demo.runner import create_sample_repository, load_session
from slowcode.model.loopback import ReplayServer

pytestmark = pytest.mark.e2e

SLOWCODE = Path(sys.executable).parent / "slowcode"
WIDTH, HEIGHT = 120, 40
WAIT_SECONDS = 30.0
EXIT_MARKER = "slowcode exited with status"


class Tmux:
    """One tmux server on a private socket, with one session running a shell command."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket
        self.last_pane = ""

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=10,
        )
        assert result.returncode == 0, f"tmux {args[0]} failed: {result.stderr}"
        return result.stdout

    def start(self, command: str, cwd: Path, env: dict[str, str]) -> None:
        variables = [f"-e{name}={value}" for name, value in env.items()]
        self.run(
            "new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-s", "e2e",
            "-c", str(cwd), *variables, command,
            env=env,
        )  # fmt: skip

    def capture(self) -> str:
        self.last_pane = self.run("capture-pane", "-p", "-t", "e2e")
        return self.last_pane

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "e2e", "-l", text)

    def wait_for(self, text: str, timeout: float = WAIT_SECONDS) -> str:
        """Polls the pane until it shows `text`; fails with the last pane otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pane = self.capture()
            if text in pane:
                return pane
            time.sleep(0.1)
        pytest.fail(f"{text!r} did not appear within {timeout} s. Last pane:\n{self.last_pane}")

    def stop(self) -> None:
        subprocess.run(
            ["tmux", "-S", str(self.socket), "kill-server"], capture_output=True, timeout=10
        )


def git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=True
    ).stdout.strip()


def trailers(repository: Path, sha: str) -> dict[str, str]:
    message = git(repository, "log", "-1", "--format=%B", sha)
    parsed = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=message,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.split(": ", 1) for line in parsed.splitlines())


def accept_all_and_apply(tmux: Tmux) -> None:
    tmux.keys("a")
    # A person sees the count change before pressing enter; so does the test.
    tmux.wait_for(" 0 undecided")
    tmux.keys("Enter")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    assert shutil.which("tmux"), "tmux is needed for the end-to-end test"
    assert SLOWCODE.exists(), f"the slowcode command is not installed at {SLOWCODE}"
    session = Tmux(tmp_path / "tmux.sock")
    try:
        yield session
    finally:
        session.stop()


def test_a_recorded_session_from_task_to_two_commits(tmp_path: Path, tmux: Tmux) -> None:
    recorded = load_session()
    repository = create_sample_repository(tmp_path / "repo")
    first_commit = git(repository, "rev-parse", "HEAD")
    with ReplayServer(recorded.responses) as server:
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("ANTHROPIC_", "SLOWCODE_", "TMUX"))
        }
        environment.update(
            ANTHROPIC_BASE_URL=server.base_url,
            ANTHROPIC_API_KEY="e2e-key",
            SLOWCODE_MODEL=recorded.model,
            # A developer's own config file must not change the session.
            XDG_CONFIG_HOME=str(tmp_path / "config"),
            TERM="xterm-256color",
        )
        tmux.start(f"{SLOWCODE}; echo {EXIT_MARKER} $?; sleep 60", repository, environment)

        tmux.wait_for("Describe a task")
        tmux.type(recorded.task)
        tmux.keys("Enter")

        tmux.wait_for("Report bad input without a traceback")
        tmux.wait_for("Move storage to a JSON file")
        tmux.keys("Enter")  # approve the plan

        tmux.wait_for("hunk 1/")
        accept_all_and_apply(tmux)

        tmux.wait_for("storage.py (new file)")
        accept_all_and_apply(tmux)  # step 2 is architectural: the decision opens
        tmux.wait_for("Store the to-do list as a versioned JSON document")
        tmux.keys("Enter")  # record the decision; the step is applied

        tmux.wait_for("✓ Done.")
        # The task box has the focus for the next task; escape hands it to the keys.
        tmux.wait_for("esc Leave the box")
        tmux.keys("Escape")
        tmux.wait_for("h History")
        tmux.keys("q")
        pane = tmux.wait_for(EXIT_MARKER)
        assert f"{EXIT_MARKER} 0" in pane, pane

    commits = git(repository, "rev-list", f"{first_commit}..HEAD").split()
    assert len(commits) == 2, tmux.last_pane
    second, first = commits
    assert git(repository, "log", "-1", "--format=%an <%ae>", second) == (
        "slowcode demo <demo@slowcode.invalid>"
    )
    assert git(repository, "log", "-1", "--format=%s", first) == (
        "Report bad input without a traceback"
    )
    assert git(repository, "log", "-1", "--format=%s", second) == (
        "Move storage to a JSON file in its own module"
    )
    first_trailers, second_trailers = trailers(repository, first), trailers(repository, second)
    for found, step in ((first_trailers, "1"), (second_trailers, "2")):
        assert found["Slowcode-Step"] == step
        assert found["Slowcode-Session"]
        assert recorded.model in found["Assisted-by"]
    assert first_trailers["Slowcode-Session"] == second_trailers["Slowcode-Session"]
    assert "Decision" not in first_trailers
    record = repository / second_trailers["Decision"]
    assert record.is_file()
    assert "Store the to-do list as a versioned JSON document" in record.read_text(encoding="utf-8")
    assert (
        second_trailers["Decision"]
        in git(repository, "show", "--name-only", "--format=", second).splitlines()
    )
    assert (repository / "storage.py").is_file()
    assert git(repository, "status", "--porcelain") == ""


def test_typing_a_task_without_a_model_only_types(tmp_path: Path, tmux: Tmux) -> None:
    repository = create_sample_repository(tmp_path / "repo")
    # A step slowcode made, so `u` would have something to undo and `enter` to confirm.
    (repository / "notes.txt").write_text("a note\n")
    git(repository, "add", "notes.txt")
    git(
        repository,
        "commit",
        "-q",
        "-m",
        "Add a note",
        "-m",
        "Slowcode-Session: s\nSlowcode-Step: 1",
    )
    before = git(repository, "rev-parse", "HEAD")
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ANTHROPIC_", "SLOWCODE_", "TMUX", "AWS_", "GOOGLE_"))
    }
    environment.update(XDG_CONFIG_HOME=str(tmp_path / "config"), TERM="xterm-256color")
    tmux.start(f"{SLOWCODE}; echo {EXIT_MARKER} $?; sleep 60", repository, environment)
    tmux.wait_for("No model configured")
    tmux.type("fix bug")
    tmux.keys("Enter")
    tmux.wait_for("API key for")  # a key for this run is the way on; escape declines it
    tmux.keys("Escape")
    pane = tmux.wait_for("the task cannot start")
    assert "fix bug" in pane and "API key for" not in pane
    assert "with a new commit that reverts" not in pane
    tmux.type("hlqu")
    time.sleep(0.5)
    pane = tmux.wait_for("fix bughlqu")
    assert "Decision log" not in pane and "History" not in pane.split("fix bughlqu")[0]
    assert git(repository, "rev-parse", "HEAD") == before
    tmux.keys("C-q")
    assert f"{EXIT_MARKER} 0" in tmux.wait_for(EXIT_MARKER)
    assert git(repository, "rev-parse", "HEAD") == before
