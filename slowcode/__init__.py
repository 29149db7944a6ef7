"""slowcode: a human-in-the-loop coding assistant for the terminal."""

__version__ = "0.1.0"
