"""slowcode's settings, merged from project files, the user's file, the environment and flags.

Later sources override earlier ones key by key: `[tool.slowcode]` in `pyproject.toml`,
then `.slowcode.toml` (top-level keys), then the user's `config.toml` in the platform
config folder, then `SLOWCODE_*` environment variables, then command-line flags.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from slowcode.core.errors import ConfigError

PROJECT_FILE = ".slowcode.toml"
PYPROJECT_FILE = "pyproject.toml"
ENVIRONMENT = "environment"
FLAGS = "command-line flags"


@dataclass(frozen=True)
class Config:
    """The settings a session runs with.

    Attributes:
        model: The model id sent to the Messages API.
        max_changed_lines: The largest step, in changed lines, the model may propose.
        decisions_dir: The decisions folder, relative to the repository (None: detect).
        check_command: A command run after each applied step (None: no check).
        context_tokens: The token budget of the repository map.
        exclude: Globs never sent to the model.
        max_tokens: The `max_tokens` of each model request.
        builtin_text_editor: Declare Anthropic's built-in text editor tool type (False:
            declare it as an ordinary custom tool, for servers that lack the type).
        provider: Where the model is reached: `anthropic`, `bedrock` or `vertex`.
        region: The cloud region (Bedrock, Vertex); None: the SDK's own variables.
        project: The Google Cloud project (Vertex); None: the SDK's own sources.
        aws_profile: The AWS profile (Bedrock); None: the standard credential chain.
        thinking: Extended thinking: `off`, `adaptive`, or a budget in tokens.
        cache_ttl: The lifetime of the prompt cache's entries: `5m`, or `1h` for
            developers who take longer than five minutes at a review (a 1-hour
            cache write costs twice the input price instead of 1.25 times).
        otel: Export the session's traces and metrics with OpenTelemetry: True, False,
            or None to follow the environment (`OTEL_EXPORTER_OTLP_ENDPOINT`).
        otel_endpoint: The OTLP/HTTP collector's base URL (None: the environment's,
            else `http://localhost:4318`).
        otel_capture_content: Also export prompt text, tool inputs and results, file
            paths and the check command (off: counts, ids, models and timings only).
        sources: Where the settings came from, in the order they were applied.
        check_command_source: The repository's own file `check_command` was read from
            (``.slowcode.toml``, ``pyproject.toml [tool.slowcode]``), so it runs only
            once trusted; None when it came from the user's file, the environment, a
            flag or the caller, which are the developer's own and trusted.
    """

    model: str = "claude-sonnet-5-5"
    max_changed_lines: int = 80
    decisions_dir: str | None = None
    check_command: str | None = None
    context_tokens: int = 4096
    exclude: tuple[str, ...] = ()
    max_tokens: int = 8192
    builtin_text_editor: bool = True
    provider: str = "anthropic"
    region: str | None = None
    project: str | None = None
    aws_profile: str | None = None
    thinking: str = "off"
    cache_ttl: str = "5m"
    otel: bool | None = None
    otel_endpoint: str | None = None
    otel_capture_content: bool = False
    sources: tuple[str, ...] = field(default=(), compare=False)
    check_command_source: str | None = field(default=None, compare=False)


KNOWN_KEYS: tuple[str, ...] = tuple(
    f.name for f in fields(Config) if f.name not in ("sources", "check_command_source")
)
DEVELOPER_ONLY_KEYS = ("otel", "otel_endpoint", "otel_capture_content")
"""Settings a repository's own files may not set: where a session's telemetry goes, and
what it carries, is the developer's choice (decision 0028)."""
_ENV_PREFIX = "SLOWCODE_"
_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def default_user_config() -> Path:
    """The user's config file in the platform config folder."""
    return platformdirs.user_config_path("slowcode") / "config.toml"


def load_config(
    root: Path,
    env: Mapping[str, str],
    flags: Mapping[str, object] | None = None,
    user_config: Path | None = None,
) -> Config:
    """Reads every configuration source and merges them.

    Args:
        root: The repository root, where `pyproject.toml` and `.slowcode.toml` live.
        env: The environment (usually `os.environ`).
        flags: Values given on the command line; None values are "not given".
        user_config: The user's config file (default: `default_user_config()`).

    Returns:
        The merged configuration; `sources` names what was read.

    Raises:
        ConfigError: One line naming the file (or variable) and the problem.
    """
    values: dict[str, Any] = {}
    sources: list[str] = []
    # Which repository file set `check_command` last; a later source of the developer's
    # own (user file, environment, flags) takes it over, and with it the trust.
    check_source: str | None = None

    pyproject = _read_toml(root / PYPROJECT_FILE, PYPROJECT_FILE)
    tool = (pyproject or {}).get("tool")
    if isinstance(tool, dict) and "slowcode" in tool:
        section = tool["slowcode"]
        label = f"{PYPROJECT_FILE} [tool.slowcode]"
        if not isinstance(section, dict):
            raise ConfigError(f"{label} must be a table")
        validated = _validated(section, label, project=True)
        values.update(validated)
        sources.append(label)
        if "check_command" in validated:
            check_source = label

    user_path = user_config or default_user_config()
    for path, name in ((root / PROJECT_FILE, PROJECT_FILE), (user_path, str(user_path))):
        table = _read_toml(path, name)
        if table is not None:
            validated = _validated(table, name, project=name == PROJECT_FILE)
            values.update(validated)
            sources.append(name)
            if "check_command" in validated:
                check_source = name if name == PROJECT_FILE else None

    from_env = _from_environment(env)
    if from_env:
        values.update(from_env)
        sources.append(ENVIRONMENT)
        if "check_command" in from_env:
            check_source = None

    given = {key: value for key, value in (flags or {}).items() if value is not None}
    if given:
        validated = _validated(given, FLAGS, lenient_strings=True)
        values.update(validated)
        sources.append(FLAGS)
        if "check_command" in validated:
            check_source = None

    return replace(
        Config(),
        **values,
        sources=tuple(sources),
        check_command_source=check_source if values.get("check_command") else None,
    )


def describe_sources(config: Config) -> str:
    """One line naming the sources a configuration was read from, for the UI."""
    if not config.sources:
        return "configuration: defaults only"
    return "configuration: defaults, then " + ", then ".join(config.sources)


def _read_toml(path: Path, name: str) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name} is not valid TOML: {_one_line(str(exc))}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{name} is not valid TOML: it is not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {name}: {exc.strerror or exc}") from None


def _validated(
    table: Mapping[str, object],
    where: str,
    *,
    lenient_strings: bool = False,
    project: bool = False,
) -> dict[str, Any]:
    """Checks each key and value of one source; returns the values as Config fields take them.

    `lenient_strings` accepts a comma-separated string for `exclude` (flags); `project`
    refuses the developer-only keys (a file of the repository's own).
    """
    result: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            import difflib  # only on this error path: start-up does not pay for it

            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"unknown key '{key}' in {where}{hint}")
        if project and key in DEVELOPER_ONLY_KEYS:
            raise ConfigError(
                f"'{key}' in {where}: telemetry is set in your own config.toml or the "
                "environment, never by a repository's files"
            )
        result[key] = _CHECKS[key](key, value, where, lenient_strings)
    return result


def _from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in KNOWN_KEYS:
        variable = _ENV_PREFIX + key.upper()
        if variable not in env:
            continue
        raw = env[variable]
        where = f"the environment ({variable})"
        result[key] = _parse_env_value(key, raw, where)
    return result


def _parse_env_value(key: str, raw: str, where: str) -> object:
    kind = _KINDS[key]
    if kind is int:
        try:
            number = int(raw.strip())
        except ValueError:
            raise ConfigError(f"{key} in {where} must be an integer, got {raw!r}") from None
        return _check_positive(key, number, where, False)
    if kind is bool:
        word = raw.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ConfigError(f"{key} in {where} must be true or false, got {raw!r}")
    if kind is tuple:
        return _check_globs(key, raw, where, True)
    return _CHECKS[key](key, raw, where, True)


def _check_positive(key: str, value: object, where: str, _lenient: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{key} in {where} must be an integer, got {value!r}")
    if value <= 0:
        raise ConfigError(f"{key} in {where} must be a positive integer, got {value}")
    return value


def _check_bool(key: str, value: object, where: str, _lenient: bool) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} in {where} must be true or false, got {value!r}")
    return value


def _check_text(key: str, value: object, where: str, _lenient: bool) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key} in {where} must be a string, got {value!r}")
    if not value.strip():
        raise ConfigError(f"{key} in {where} must not be empty")
    return value.strip()


def _check_optional_text(key: str, value: object, where: str, _lenient: bool) -> str | None:
    if not isinstance(value, str):
        raise ConfigError(f"{key} in {where} must be a string, got {value!r}")
    # An empty string switches the setting off again (back to "detect" / "no check").
    return value.strip() or None


def _check_globs(key: str, value: object, where: str, lenient: bool) -> tuple[str, ...]:
    if lenient and isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{key} in {where} must be a list of strings, got {value!r}")
    return tuple(item for item in value if item)


_PROVIDERS = ("anthropic", "bedrock", "vertex")
_MIN_THINKING_BUDGET = 1024


def _check_provider(key: str, value: object, where: str, _lenient: bool) -> str:
    text = _check_text(key, value, where, _lenient).lower()
    if text not in _PROVIDERS:
        raise ConfigError(f"{key} in {where} must be one of {', '.join(_PROVIDERS)}, got {value!r}")
    return text


def _check_thinking(key: str, value: object, where: str, _lenient: bool) -> str:
    """`off`, `adaptive`, or a budget of at least 1,024 tokens (a number or its digits)."""
    if isinstance(value, bool):
        raise ConfigError(f"{key} in {where} must be off, adaptive or a token budget")
    text = str(value).strip().lower() if isinstance(value, int | str) else ""
    if text in ("off", "adaptive"):
        return text
    if not text.isdigit():
        raise ConfigError(
            f"{key} in {where} must be off, adaptive or a token budget, got {value!r}"
        )
    if int(text) < _MIN_THINKING_BUDGET:
        raise ConfigError(
            f"{key} in {where} must be at least {_MIN_THINKING_BUDGET} tokens, got {int(text)}"
        )
    return str(int(text))


CACHE_TTLS = ("5m", "1h")
"""The prompt-cache lifetimes the Messages API offers."""


def _check_ttl(key: str, value: object, where: str, _lenient: bool) -> str:
    if not isinstance(value, str) or value.strip() not in CACHE_TTLS:
        raise ConfigError(f'{key} in {where} must be "5m" or "1h", got {value!r}')
    return value.strip()


def _check_endpoint(key: str, value: object, where: str, _lenient: bool) -> str | None:
    text = _check_optional_text(key, value, where, _lenient)
    if text is not None and not text.startswith(("http://", "https://")):
        raise ConfigError(f"{key} in {where} must be an http:// or https:// URL, got {value!r}")
    return text.rstrip("/") if text else None


_Check = Callable[[str, object, str, bool], object]
_CHECKS: dict[str, _Check] = {
    "model": _check_text,
    "max_changed_lines": _check_positive,
    "decisions_dir": _check_optional_text,
    "check_command": _check_optional_text,
    "context_tokens": _check_positive,
    "exclude": _check_globs,
    "max_tokens": _check_positive,
    "builtin_text_editor": _check_bool,
    "provider": _check_provider,
    "region": _check_optional_text,
    "project": _check_optional_text,
    "aws_profile": _check_optional_text,
    "thinking": _check_thinking,
    "cache_ttl": _check_ttl,
    "otel": _check_bool,
    "otel_endpoint": _check_endpoint,
    "otel_capture_content": _check_bool,
}
_KINDS: dict[str, type] = {
    "model": str,
    "max_changed_lines": int,
    "decisions_dir": str,
    "check_command": str,
    "context_tokens": int,
    "exclude": tuple,
    "max_tokens": int,
    "builtin_text_editor": bool,
    "provider": str,
    "region": str,
    "project": str,
    "aws_profile": str,
    "thinking": str,
    "cache_ttl": str,
    "otel": bool,
    "otel_endpoint": str,
    "otel_capture_content": bool,
}


def _one_line(text: str) -> str:
    return " ".join(text.split())
