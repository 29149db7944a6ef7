"""The command line: argument parsing and the sub-commands. Imports heavy modules lazily."""
