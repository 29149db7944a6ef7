"""Applying a reviewed step: composing files, writing them, committing, running the check."""
