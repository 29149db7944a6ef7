"""Helpers shared by the test modules: scripted developers, sessions and repositories."""
