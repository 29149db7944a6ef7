"""SIGKILL after each journal event of a scripted session in turn, then resume.

Every resumed run must end in the repository state of an uninterrupted run: the
same files, the same commits (compared by tree), one commit per step, a journal
that verifies. The model is served by position in the conversation (the response
after the request's last assistant turn), so a request asked twice would be seen:
only an answer whose content never reached the journal may be asked for again.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from slowcode.git.repo import GitRepo
from slowcode.journal.log import find_sessions, read_events, verify
from slowcode.model.loopback import MessagesServer, ReceivedRequest, ResponseWriter, error_body
from tests.context.repos import git, make_repo, with_identity
from tests.helpers.sessions import APP, two_step_script

CHILD = Path(__file__).with_name("session_kill_child.py")


class ByPositionServer(MessagesServer):
    """Answers with the response that follows the conversation's last assistant turn.

    The conversation is folded as steps are done, so its number of turns says nothing;
    its last assistant turn, kept by the fold, is one of the scripted responses.
    """

    def __init__(self, responses: list[dict[str, Any]]) -> None:
        super().__init__()
        self.responses = responses
        self.served: collections.Counter[int] = collections.Counter()
        self._count_lock = threading.Lock()

    def respond_messages(self, request: ReceivedRequest, writer: ResponseWriter) -> None:
        messages = request.body.get("messages", [])
        answered = [m["content"] for m in messages if m.get("role") == "assistant"]
        contents = [response["content"] for response in self.responses]
        position = contents.index(answered[-1]) + 1 if answered else 0
        with self._count_lock:
            self.served[position] += 1
        if position >= len(self.responses):
            writer.send_json(400, error_body("invalid_request_error", "past the script"))
            return
        message = {"id": f"msg_{position}", **self.responses[position]}
        writer.send_message(message, stream=request.stream)


@pytest.fixture(scope="module")
def server() -> Any:
    responses = [turn.message for turn in two_step_script() if turn.message is not None]
    served = ByPositionServer(responses)
    served.start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_repo(
        tmp_path_factory.mktemp("t") / "project", {"app.py": APP, "README.md": "# demo\n"}
    )
    with_identity(root)
    GitRepo.open(root).ensure_excluded(".slowcode/")
    return root


def child(root: Path, server: ByPositionServer, mode: str, kill_after: int) -> Any:
    return subprocess.run(
        [sys.executable, str(CHILD), str(root), server.base_url, mode, str(kill_after)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def outcome(root: Path) -> tuple[list[str], list[str], str]:
    trees = git(root, "log", "--format=%T %s").splitlines()
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    files = [f for f in files if not f.startswith((".git/", ".slowcode/"))]
    return trees, files, git(root, "status", "--porcelain")


@pytest.fixture(scope="module")
def reference(
    template: Path, server: ByPositionServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, int, list[str]]:
    root = tmp_path_factory.mktemp("ref") / "project"
    shutil.copytree(template, root)
    done = child(root, server, "run", 0)
    assert done.returncode == 0, done.stderr
    kinds = [event["type"] for event in read_events(find_sessions(root)[-1])]
    return outcome(root), int(done.stdout.strip()), kinds


def kill_then_resume(
    template: Path, server: ByPositionServer, where: Path, kill_after: int, expected: Any
) -> None:
    root = where / "project"
    shutil.copytree(template, root)
    server.served.clear()
    killed = child(root, server, "run", kill_after)
    assert killed.returncode == -9, (kill_after, killed.returncode, killed.stderr[-2000:])
    last = read_events(find_sessions(root)[-1])[-1]
    resumed = child(root, server, "resume", 0)
    assert resumed.returncode == 0, (kill_after, resumed.stderr[-2000:])
    assert outcome(root) == expected, f"killed after event {kill_after} ({last['type']})"
    assert verify(find_sessions(root)[-1])[0]
    steps = [e for e in read_events(find_sessions(root)[-1]) if e["type"] == "commit_made"]
    assert len(steps) == 2
    repeated = [position for position, count in server.served.items() if count > 1]
    # Only an answer that never reached the journal may be asked for again: the answer
    # is journaled before anything else is done with it.
    if repeated:
        assert last["type"] == "model_request", (kill_after, last["type"])
        assert len(repeated) == 1


def test_the_reference_run_makes_two_commits(reference: Any) -> None:
    (trees, files, status), events, _kinds = reference
    assert [t.split(" ", 1)[1] for t in trees[:2]] == ["Add a farewell module", "Greet politely"]
    assert "farewell.py" in files and status == ""
    assert events > 30


def test_a_kill_after_sampled_events_resumes_to_the_same_state(
    template: Path, server: ByPositionServer, reference: Any, tmp_path: Path
) -> None:
    expected, _events, kinds = reference
    # The riskiest instants: mid-review, after the verdict, mid-apply, after the commit.
    chosen = ("review_progress", "apply_intent", "file_written", "commit_made")
    for kind in chosen:
        kill_after = kinds.index(kind) + 1
        kill_then_resume(template, server, tmp_path / f"k{kill_after}", kill_after, expected)


@pytest.mark.slow
def test_a_kill_after_every_event_resumes_to_the_same_state(
    template: Path, server: ByPositionServer, reference: Any, tmp_path: Path
) -> None:
    expected, events, _kinds = reference
    for kill_after in range(1, events):
        kill_then_resume(template, server, tmp_path / f"k{kill_after}", kill_after, expected)
    print(f"kill after each event: {events - 1} killed and resumed runs")
