"""Errors that reach the developer as one clear line."""

from __future__ import annotations


class SlowcodeError(Exception):
    """A user-facing failure: its message is one line, shown as is (never a traceback)."""


class ConfigError(SlowcodeError):
    """A configuration file or value that cannot be used."""


class RepositoryError(SlowcodeError):
    """The folder is not a usable git repository, or git refused an operation."""


class ToolInputError(SlowcodeError):
    """A tool call from the model that cannot be carried out; answered as a tool error."""
