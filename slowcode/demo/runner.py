"""`slowcode demo`: the TUI on a copy of a sample project, with a recorded model session.

The recorded responses are served by a loopback Messages API server, so the demo
runs the very same client code as a real session, with no API key and no network.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from slowcode.core.errors import SlowcodeError
from slowcode.git.runner import git_text

if TYPE_CHECKING:
    from slowcode.demo.server import DemoServer

DEMO_DIR = Path(__file__).resolve().parent
SAMPLE_DIR = DEMO_DIR / "sample"
SESSION_FILE = DEMO_DIR / "session.json"

DEMO_USER_NAME = "slowcode demo"
DEMO_USER_EMAIL = "demo@slowcode.invalid"
INITIAL_COMMIT_MESSAGE = "The sample to-do project"

# Leftovers of running the sample's tests or its command in a source checkout.
_NOT_COPIED = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".pytest_cache", "todo.txt", "todo.json"
)


@dataclass(frozen=True)
class RecordedSession:
    """A recorded model session: the task and the responses, in the order they were given.

    Attributes:
        task: the task the developer typed.
        model: the model id the responses came from.
        responses: Messages API response message dicts.
        why: the recorded answer to "why?" about a hunk, per file path.
        without_decision: per response id, the text it says instead when the step
            before it wrote no decision record (the developer chose `n` or `x`).
    """

    task: str
    model: str
    responses: list[dict[str, Any]]
    why: dict[str, str] = field(default_factory=dict)
    without_decision: dict[str, str] = field(default_factory=dict)


def serve(session: RecordedSession) -> DemoServer:
    """The model for a recorded session, with all its answers (`with serve(...) as server`)."""
    from slowcode.demo.server import DemoServer

    return DemoServer(session.responses, session.why, session.without_decision)


def load_session(path: Path = SESSION_FILE) -> RecordedSession:
    """Reads a recorded session file.

    Raises:
        SlowcodeError: the file is missing or not a recorded session.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RecordedSession(
            task=str(data["task"]),
            model=str(data["model"]),
            responses=list(data["responses"]),
            why={str(path): str(text) for path, text in dict(data.get("why", {})).items()},
            without_decision={
                str(key): str(text) for key, text in dict(data.get("without_decision", {})).items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SlowcodeError(f"cannot read the recorded session {path}: {error}") from None


def create_sample_repository(destination: Path | None = None) -> Path:
    """Copies the sample project into a new git repository with one commit.

    The repository gets a local identity of its own, so the demo can commit on a
    machine where git has none, and signing is switched off for it, so a global
    `commit.gpgsign` never asks for a passphrase in the middle of the tour.

    Args:
        destination: an empty or missing folder; a new temporary folder when None.

    Returns:
        The repository's folder.

    Raises:
        SlowcodeError: git is missing or refused a command.
    """
    if destination is None:
        destination = Path(tempfile.mkdtemp(prefix="slowcode-demo-"))
    shutil.copytree(SAMPLE_DIR, destination, ignore=_NOT_COPIED, dirs_exist_ok=True)
    # Through -c rather than --initial-branch, which git before 2.28 refuses.
    git_text(destination, "-c", "init.defaultBranch=main", "init", "--quiet")
    git_text(destination, "config", "user.name", DEMO_USER_NAME)
    git_text(destination, "config", "user.email", DEMO_USER_EMAIL)
    git_text(destination, "config", "commit.gpgsign", "false")
    git_text(destination, "add", "--all")
    git_text(destination, "commit", "--quiet", "--no-verify", "-m", INITIAL_COMMIT_MESSAGE)
    return destination


def commit_count(repository: Path) -> int:
    """How many commits the repository's HEAD has."""
    return int(git_text(repository, "rev-list", "--count", "HEAD").strip())


def step_count(repository: Path) -> int:
    """How many of HEAD's commits are slowcode steps (undos and decision-log commits aside)."""
    found = git_text(
        repository, "rev-list", "--count", "--extended-regexp", "--grep=^Slowcode-Step: ", "HEAD"
    )
    return int(found.strip())


def run_demo(*, keep: bool = False, out: TextIO | None = None) -> int:
    """Runs the offline tour and reports where the sample repository is.

    Args:
        keep: keep the sample repository even when nothing was committed to it.
        out: where the closing lines go; stdout when None.

    Returns:
        The app's exit status.
    """
    from slowcode.core.config import Config
    from slowcode.model.settings import ModelSettings

    session = load_session()
    repository = create_sample_repository()
    # The developer's own configuration (a check command, a smaller step limit)
    # must not change a recorded session, so the demo runs on the defaults.
    config = Config(model=session.model)
    with serve(session) as server:
        settings = ModelSettings(
            model=session.model,
            api_key="demo",
            base_url=server.base_url,
            retry_backoff_seconds=0.1,
            builtin_text_editor=config.builtin_text_editor,
        )
        from slowcode.tui.app import SlowcodeApp

        app = SlowcodeApp(repository, config, settings, resume=False, initial_task=session.task)
        app.run()
    print(closing_lines(repository, keep=keep), file=out or sys.stdout)
    return app.return_code or 0


def closing_lines(repository: Path, *, keep: bool) -> str:
    """What the demo prints at the end; removes an untouched copy unless `keep`."""
    applied = step_count(repository)
    if commit_count(repository) == 1 and not keep:
        shutil.rmtree(repository, ignore_errors=True)
        return (
            f"No step was applied, so the sample repository {repository} was removed.\n"
            "Run `slowcode demo --keep` to keep it anyway."
        )
    steps = "1 step" if applied == 1 else f"{applied} steps"
    lines = (
        f"The sample repository is in {repository} ({steps} applied by slowcode).\n"
        f"Look around with `git -C {repository} log --stat`; it is yours to delete "
        f"(`rm -rf {repository}`)."
    )
    if _has_unfinished_session(repository):
        lines += (
            "\nThe session there is unfinished: `slowcode` in that folder resumes it "
            f"(`cd {repository} && slowcode`), with the model you configure; the "
            "recorded one answers only inside the demo."
        )
    return lines


def _has_unfinished_session(repository: Path) -> bool:
    from slowcode.journal.log import latest_unfinished

    return latest_unfinished(repository) is not None
