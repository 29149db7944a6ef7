"""Configuration: each source, their precedence, and every kind of error."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.core.config import (
    Config,
    default_user_config,
    describe_sources,
    load_config,
)
from slowcode.core.errors import ConfigError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    return folder


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    """A user config path that does not exist until a test writes it."""
    return tmp_path / "user" / "config.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(root: Path, user_file: Path, env: dict[str, str] | None = None, **flags: object) -> Config:
    return load_config(root, env or {}, flags, user_config=user_file)


def test_defaults_when_nothing_is_configured(root: Path, user_file: Path) -> None:
    config = load(root, user_file)
    assert config == Config()
    assert config.model == "claude-sonnet-5-5"
    assert config.max_changed_lines == 80
    assert config.sources == ()
    assert describe_sources(config) == "configuration: defaults only"


def test_pyproject_tool_section(root: Path, user_file: Path) -> None:
    write(
        root / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.slowcode]\nmax_changed_lines = 40\n'
        'exclude = ["secrets/**", "*.pem"]\ncheck_command = "pytest -q"\n',
    )
    config = load(root, user_file)
    assert config.max_changed_lines == 40
    assert config.exclude == ("secrets/**", "*.pem")
    assert config.check_command == "pytest -q"
    assert config.sources == ("pyproject.toml [tool.slowcode]",)


def test_pyproject_without_the_section_is_not_a_source(root: Path, user_file: Path) -> None:
    write(root / "pyproject.toml", '[project]\nname = "x"\n')
    assert load(root, user_file).sources == ()


def test_slowcode_toml_overrides_pyproject_key_by_key(root: Path, user_file: Path) -> None:
    write(root / "pyproject.toml", "[tool.slowcode]\nmax_changed_lines = 40\nmax_tokens = 1000\n")
    write(root / ".slowcode.toml", "max_changed_lines = 20\nbuiltin_text_editor = false\n")
    config = load(root, user_file)
    assert config.max_changed_lines == 20
    assert config.max_tokens == 1000
    assert config.builtin_text_editor is False
    assert config.sources == ("pyproject.toml [tool.slowcode]", ".slowcode.toml")


def test_full_precedence_order(root: Path, user_file: Path) -> None:
    write(root / ".slowcode.toml", 'model = "from-project"\ncontext_tokens = 1000\n')
    write(user_file, 'model = "from-user"\ncontext_tokens = 2000\nmax_tokens = 3000\n')
    env = {"SLOWCODE_MODEL": "from-env", "SLOWCODE_CONTEXT_TOKENS": "5000"}
    config = load(root, user_file, env, model="from-flag", decisions_dir=None)
    assert config.model == "from-flag"
    assert config.context_tokens == 5000
    assert config.max_tokens == 3000
    assert config.decisions_dir is None
    assert config.sources == (".slowcode.toml", str(user_file), "environment", "command-line flags")
    assert describe_sources(config).endswith("environment, then command-line flags")


def test_user_file_overrides_project_file(root: Path, user_file: Path) -> None:
    write(root / ".slowcode.toml", 'decisions_dir = "doc/arch"\n')
    write(user_file, 'decisions_dir = "docs/adr"\n')
    assert load(root, user_file).decisions_dir == "docs/adr"


def test_every_environment_variable(root: Path, user_file: Path) -> None:
    env = {
        "SLOWCODE_MODEL": "claude-opus-5",
        "SLOWCODE_MAX_CHANGED_LINES": "25",
        "SLOWCODE_DECISIONS_DIR": "docs/adr",
        "SLOWCODE_CHECK_COMMAND": "make test",
        "SLOWCODE_CONTEXT_TOKENS": "2048",
        "SLOWCODE_EXCLUDE": "*.key, vendor/** ,,",
        "SLOWCODE_MAX_TOKENS": "4000",
        "SLOWCODE_BUILTIN_TEXT_EDITOR": "off",
        "UNRELATED": "ignored",
    }
    config = load(root, user_file, env)
    assert config == Config(
        model="claude-opus-5",
        max_changed_lines=25,
        decisions_dir="docs/adr",
        check_command="make test",
        context_tokens=2048,
        exclude=("*.key", "vendor/**"),
        max_tokens=4000,
        builtin_text_editor=False,
    )
    assert config.sources == ("environment",)


def test_empty_check_command_in_the_environment_switches_it_off(
    root: Path, user_file: Path
) -> None:
    write(root / ".slowcode.toml", 'check_command = "pytest"\n')
    config = load(root, user_file, {"SLOWCODE_CHECK_COMMAND": ""})
    assert config.check_command is None


def test_flags_accept_comma_separated_exclude(root: Path, user_file: Path) -> None:
    config = load(root, user_file, exclude="a/**,b", max_changed_lines=10)
    assert config.exclude == ("a/**", "b")
    assert config.max_changed_lines == 10
    assert config.sources == ("command-line flags",)


def test_default_user_config_follows_the_platform_folder(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "slowcode" / "config.toml"
    assert default_user_config() == expected
    write(expected, "max_tokens = 1234\n")
    config = load_config(root, {})
    assert config.max_tokens == 1234
    assert config.sources == (str(expected),)


def test_invalid_toml_names_the_file_and_position(root: Path, user_file: Path) -> None:
    write(root / ".slowcode.toml", 'model = "a"\nmax_tokens = = 3\n')
    with pytest.raises(ConfigError) as caught:
        load(root, user_file)
    message = str(caught.value)
    assert message.startswith(".slowcode.toml is not valid TOML")
    assert "line 2" in message
    assert "\n" not in message


def test_invalid_toml_in_the_user_file(root: Path, user_file: Path) -> None:
    write(user_file, 'model = "a" "b"\n')
    with pytest.raises(ConfigError, match=r"config\.toml is not valid TOML.*line 1, column 13"):
        load(root, user_file)


def test_unknown_key_suggests_the_closest(root: Path, user_file: Path) -> None:
    write(root / ".slowcode.toml", "max_changed_line = 5\n")
    with pytest.raises(ConfigError) as caught:
        load(root, user_file)
    assert str(caught.value) == (
        "unknown key 'max_changed_line' in .slowcode.toml (did you mean 'max_changed_lines'?)"
    )


def test_unknown_key_without_a_close_match(root: Path, user_file: Path) -> None:
    write(root / "pyproject.toml", "[tool.slowcode]\nzzz = 1\n")
    with pytest.raises(ConfigError) as caught:
        load(root, user_file)
    assert str(caught.value) == "unknown key 'zzz' in pyproject.toml [tool.slowcode]"


def test_unknown_flag_is_an_error(root: Path, user_file: Path) -> None:
    with pytest.raises(ConfigError, match="unknown key 'modle' in command-line flags"):
        load(root, user_file, modle="x")


def test_wrong_type_in_a_file(root: Path, user_file: Path) -> None:
    write(root / ".slowcode.toml", 'max_changed_lines = "eighty"\n')
    with pytest.raises(ConfigError) as caught:
        load(root, user_file)
    assert str(caught.value) == (
        "max_changed_lines in .slowcode.toml must be an integer, got 'eighty'"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("builtin_text_editor = 1", "builtin_text_editor in .slowcode.toml must be true or false"),
        ("exclude = 'x'", "exclude in .slowcode.toml must be a list of strings"),
        ("exclude = [1, 2]", "exclude in .slowcode.toml must be a list of strings"),
        ("model = 5", "model in .slowcode.toml must be a string, got 5"),
        ("model = ''", "model in .slowcode.toml must not be empty"),
        ("max_tokens = true", "max_tokens in .slowcode.toml must be an integer, got True"),
        ("context_tokens = 1.5", "context_tokens in .slowcode.toml must be an integer"),
    ],
)
def test_wrong_types(root: Path, user_file: Path, line: str, expected: str) -> None:
    write(root / ".slowcode.toml", line + "\n")
    with pytest.raises(ConfigError) as caught:
        load(root, user_file)
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize("value", ["0", "-3"])
def test_out_of_range_values(root: Path, user_file: Path, value: str) -> None:
    write(root / ".slowcode.toml", f"max_changed_lines = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load(root, user_file)
    assert str(caught.value) == (
        f"max_changed_lines in .slowcode.toml must be a positive integer, got {value}"
    )


def test_bad_environment_values_name_the_variable(root: Path, user_file: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(root, user_file, {"SLOWCODE_MAX_TOKENS": "lots"})
    assert str(caught.value) == (
        "max_tokens in the environment (SLOWCODE_MAX_TOKENS) must be an integer, got 'lots'"
    )
    with pytest.raises(ConfigError, match="must be true or false, got 'maybe'"):
        load(root, user_file, {"SLOWCODE_BUILTIN_TEXT_EDITOR": "maybe"})
    with pytest.raises(ConfigError, match="must be a positive integer, got 0"):
        load(root, user_file, {"SLOWCODE_CONTEXT_TOKENS": "0"})


def test_bad_flag_value(root: Path, user_file: Path) -> None:
    with pytest.raises(ConfigError, match="max_tokens in command-line flags must be an integer"):
        load(root, user_file, max_tokens="many")


def test_tool_slowcode_must_be_a_table(root: Path, user_file: Path) -> None:
    write(root / "pyproject.toml", '[tool]\nslowcode = "yes"\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.slowcode\] must be a table"):
        load(root, user_file)


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(AttributeError):
        config.model = "other"  # type: ignore[misc]
