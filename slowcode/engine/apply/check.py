"""The project's check command, run after a step is applied, its output streamed line by line.

This is the only command slowcode runs, and it is the project's own configured
command, never one the model asked for. It runs in a thread (a blocking read of
its output), each line handed to the caller on the event loop as it arrives; the
exit code and the output's tail go to the model.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

CHECK_TAIL_CHARS = 4000
"""The output is cut to its last characters before it goes to the model."""

CHECK_TIMEOUT_SECONDS = 900.0
_TAIL_LINES = 400

CREDENTIAL_VARIABLES: dict[str, tuple[str, ...]] = {
    "anthropic": ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"),
    "bedrock": (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_BEARER_TOKEN_BEDROCK",
    ),
    "vertex": ("GOOGLE_APPLICATION_CREDENTIALS",),
}
"""The variables slowcode reads credentials from, per provider: never given to the check."""

REDACTED = "[redacted]"
_SHORTEST_SECRET = 8
"""Shorter values are not searched for: redacting "1" or "yes" would garble the output."""


def check_environment(
    env: Mapping[str, str], provider: str, secrets: Iterable[str | None] = ()
) -> tuple[dict[str, str], list[str]]:
    """The check's environment, and the values to redact from its output.

    The Anthropic variables are always left out, and so are the credential
    variables of the provider in use; the values redacted are `secrets` (the
    configured key and token) and the values of every variable left out.
    """
    dropped = {*CREDENTIAL_VARIABLES["anthropic"], *CREDENTIAL_VARIABLES.get(provider, ())}
    kept = {name: value for name, value in env.items() if name not in dropped}
    values = {value for value in secrets if value}
    values |= {env[name] for name in dropped if env.get(name)}
    # Longest first, so a secret that contains another is redacted whole.
    ordered = sorted((v for v in values if len(v) >= _SHORTEST_SECRET), key=len, reverse=True)
    return kept, ordered


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every exact occurrence of each secret replaced by ``[redacted]``."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


@dataclass(frozen=True)
class CheckResult:
    """A finished check run: its exit code (-1: timed out or could not start) and tail."""

    command: str
    exit_code: int
    output_tail: str

    @property
    def passed(self) -> bool:
        """True when the command exited with status 0."""
        return self.exit_code == 0

    def to_json(self) -> dict[str, object]:
        """The `check` object of the `finish_step` tool result."""
        return {
            "ran": True,
            "command": self.command,
            "exit_code": self.exit_code,
            "output_tail": self.output_tail,
        }


LineSink = Callable[[str], None]


def _run_blocking(
    command: str,
    cwd: Path,
    deliver: LineSink,
    timeout: float,
    env: Mapping[str, str] | None,
    secrets: Sequence[str],
) -> tuple[int, str]:
    tail: deque[str] = deque(maxlen=_TAIL_LINES)
    try:
        process = subprocess.Popen(
            command,
            shell=True,  # the project's own configured command, never the model's
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
            # Its own process group, so a timeout stops the command's children too.
            start_new_session=True,
        )
    except OSError as error:
        message = f"the check command could not start: {error}"
        deliver(message)
        return -1, message
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            line = redact(raw.rstrip("\n"), secrets)
            tail.append(line)
            deliver(line)
        code = process.wait()
    finally:
        timer.cancel()
    if timed_out.is_set():
        note = f"timed out after {timeout:g} s"
        tail.append(note)
        deliver(note)
        code = -1
    return code, "\n".join(tail)


async def run_check(
    command: str,
    cwd: Path,
    on_line: LineSink,
    *,
    timeout: float = CHECK_TIMEOUT_SECONDS,
    env: Mapping[str, str] | None = None,
    secrets: Sequence[str] = (),
) -> CheckResult:
    """Runs `command` in a shell in `cwd`, streaming its merged stdout and stderr.

    Args:
        command: The configured check command.
        cwd: The repository's working tree.
        on_line: Called on the event loop with each output line, as it arrives.
        timeout: Seconds before the command (and its children) are killed.
        env: The command's environment (see `check_environment`); None: slowcode's own.
        secrets: Exact values redacted from each output line before anyone sees it.

    Returns:
        The exit code and the last `CHECK_TAIL_CHARS` characters of the output.
    """
    loop = asyncio.get_running_loop()

    def deliver(line: str) -> None:
        loop.call_soon_threadsafe(on_line, line)

    code, output = await asyncio.to_thread(
        _run_blocking, command, cwd, deliver, timeout, env, secrets
    )
    # Let the lines still queued on the loop reach the caller before the result does.
    await asyncio.sleep(0)
    return CheckResult(command, code, output[-CHECK_TAIL_CHARS:])
