"""The `slowcode` command: parses the arguments and runs one command.

Module-level imports stay in the standard library, so `slowcode --help` answers
at once: each command imports the engine, the model client and the TUI itself,
only when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from slowcode import __version__

CommandRunner = Callable[[argparse.Namespace], int]

DESCRIPTION = (
    "Write code slowly with an AI model: it proposes small, explained steps; you review "
    "every hunk; each applied step is one git commit, and each architectural decision "
    "a decision record."
)

COMMANDS_EPILOG = """\
commands:
  demo        an offline tour on a sample project with a recorded session (no API key)
  audit       verify journals (`audit verify [SESSION]`) or step commits (`--commits RANGE`)
  provenance  step commits' notes in another format (`provenance export --format agent-trace`)
  decisions   the decision log: `decisions list | show N | search TEXT | status N STATUS`,
              `decisions supersede N --title TEXT`, `decisions export --html DIR`
  why         `why FILE:LINE`: the commit, session, step and decision behind a line
  map         the repository map the model is given (`map [--tokens N] [--query TEXT]`)
  undo        revert the last applied step with a new commit (`undo [-C PATH]`)
  history     sessions, steps, verdicts, commits, tokens and cost (`history [--json]`)
  replay      re-run a session from its journal in a scratch worktree (`replay SESSION --check`)
  trust       the project check commands you trusted (`trust [list | revoke HASH | revoke -C PATH]`)

Run `slowcode COMMAND --help` for a command's options. To open a folder whose
name is a command, write it as a path: `slowcode ./demo`.
"""


def _open_tui(args: argparse.Namespace) -> int:
    from slowcode.cli.tui_command import run_tui

    return run_tui(Path(args.path), model=args.model, resume=args.resume)


def _demo(args: argparse.Namespace) -> int:
    from slowcode.demo.runner import run_demo

    return run_demo(keep=args.keep)


def build_main_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode [PATH]`, which opens the TUI."""
    parser = argparse.ArgumentParser(
        prog="slowcode",
        description=DESCRIPTION,
        epilog=COMMANDS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        metavar="PATH",
        help="a folder inside the git repository to work in (default: the current folder)",
    )
    parser.add_argument(
        "--model",
        metavar="M",
        help="the model to use, overriding the configuration (e.g. claude-sonnet-5-5)",
    )
    parser.add_argument(
        "--no-resume",
        dest="resume",
        action="store_false",
        help="start a new session even when an unfinished one is waiting here",
    )
    parser.add_argument("--version", action="version", version=f"slowcode {__version__}")
    parser.set_defaults(run=_open_tui)
    return parser


def build_demo_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode demo`."""
    parser = argparse.ArgumentParser(
        prog="slowcode demo",
        description=(
            "An offline tour: copies a small sample project into a new temporary git "
            "repository and opens slowcode on it with a recorded model session, so you "
            "see plan, review, decision and commit without an API key. Press enter to "
            "start the prefilled task. At the end the sample repository's path is printed."
        ),
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=(
            "keep the sample repository even when nothing was applied "
            "(by default an untouched copy is removed on exit)"
        ),
    )
    parser.set_defaults(run=_demo)
    return parser


def _parser_in(module: str) -> Callable[[], argparse.ArgumentParser]:
    """The `build_parser` of a command module, imported only when that command runs."""

    def build() -> argparse.ArgumentParser:
        built: argparse.ArgumentParser = importlib.import_module(module).build_parser()
        return built

    return build


# Sub-commands, by the name that must be the first argument.
SUBCOMMANDS: dict[str, Callable[[], argparse.ArgumentParser]] = {
    "demo": build_demo_parser,
    "audit": _parser_in("slowcode.cli.audit_command"),
    "provenance": _parser_in("slowcode.cli.provenance_command"),
    "decisions": _parser_in("slowcode.cli.decisions_command"),
    "why": _parser_in("slowcode.cli.why_command"),
    "map": _parser_in("slowcode.cli.map_command"),
    "undo": _parser_in("slowcode.cli.undo_command"),
    "history": _parser_in("slowcode.cli.history_command"),
    "replay": _parser_in("slowcode.cli.replay_command"),
    "trust": _parser_in("slowcode.cli.trust_command"),
}


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parses a command line (without the program name).

    argparse cannot mix an optional positional PATH with sub-commands, so the
    first argument picks the parser: a sub-command's name, or else the TUI's.

    Raises:
        SystemExit: for `--help`/`--version` (status 0) and usage errors (status 2).
    """
    if argv and argv[0] in SUBCOMMANDS:
        return SUBCOMMANDS[argv[0]]().parse_args(argv[1:])
    return build_main_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Runs the `slowcode` command line.

    Args:
        argv: the arguments without the program name; `sys.argv[1:]` when None.

    Returns:
        The exit status: 0 on success, 1 after a user-facing error (reported as one
        line on stderr), 2 for a usage error, 130 when interrupted, 141 when the
        reader of standard output went away.
    """
    arguments = sys.argv[1:] if argv is None else argv
    try:
        args = parse_arguments(arguments)
    except SystemExit as exit_:
        # argparse exits 0 after --help/--version and 2 on a usage error.
        return 0 if exit_.code is None else exit_.code if isinstance(exit_.code, int) else 2
    runner: CommandRunner = args.run
    return run_reporting_errors(runner, args)


def run_reporting_errors(runner: CommandRunner, args: argparse.Namespace) -> int:
    """Runs a command; a user-facing error becomes one line on stderr and status 1."""
    # Imported here, not at the top: importing any engine module runs the
    # engine package's __init__, which must not cost `--help` anything.
    from slowcode.core.errors import SlowcodeError

    try:
        return runner(args)
    except SlowcodeError as error:
        print(f"slowcode: {one_line(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("slowcode: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): what it did not read is nobody's error.
        _discard_stdout()
        return BROKEN_PIPE_STATUS


BROKEN_PIPE_STATUS = 141
"""What a shell reports for a command stopped by SIGPIPE, as git is after `| head`."""


def _discard_stdout() -> None:
    """Points standard output at /dev/null, so the flush at exit has nowhere to fail."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        return


def one_line(message: str) -> str:
    """The message folded onto one line, so stderr never shows a wall of text."""
    return " ".join(message.split()) or "unknown error"
