"""`slowcode [PATH]`: opens the TUI on the repository that contains PATH."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from slowcode.core.errors import SlowcodeError


def run_tui(path: Path, *, model: str | None = None, resume: bool = True) -> int:
    """Checks the folder and the configuration, then runs the app until it exits.

    Everything that can fail with a one-line message (the folder, the repository,
    the configuration) is checked before Textual is imported, so a mistake is
    reported at once and on the plain terminal.

    Args:
        path: a folder inside a git repository.
        model: a model id from the command line, overriding the configuration.
        resume: continue an unfinished session in this repository when there is one.

    Returns:
        The app's exit status (0 unless the app set another).

    Raises:
        SlowcodeError: the folder is missing or not in a git repository, the
            repository is mid-merge or mid-rebase, another slowcode works in it, or
            the configuration cannot be used.
    """
    from slowcode.core.config import load_config
    from slowcode.git import repo_state
    from slowcode.git.worktree import find_work_tree
    from slowcode.journal.lock import InstanceLock
    from slowcode.model.settings import ModelSettings
    from slowcode.telemetry.settings import telemetry_settings

    if not path.exists():
        raise SlowcodeError(f"no such folder: {path}")
    if not path.is_dir():
        raise SlowcodeError(f"not a folder: {path}")
    root = find_work_tree(path)
    # A merge or rebase in progress is refused here, in one line on the plain terminal;
    # the workable odd states (detached HEAD, no commits) are shown in the TUI.
    repo_state.inspect(root).ensure_workable()
    flags: dict[str, object] = {"model": model} if model else {}
    config = load_config(root, os.environ, flags)
    settings = ModelSettings.from_config(config, os.environ)
    telemetry = telemetry_settings(config, os.environ)

    # Taken before Textual is imported, so a second instance is refused at once.
    repo_state.exclude_slowcode_folder(root)
    with InstanceLock(root):
        from slowcode.tui.app import SlowcodeApp

        app = SlowcodeApp(root, config, settings, resume=resume, telemetry=telemetry)
        app.run()
    if app.telemetry_warning:
        # On the plain terminal, once the app is gone: the one line telemetry may cost.
        print(app.telemetry_warning, file=sys.stderr)
    return app.return_code or 0
