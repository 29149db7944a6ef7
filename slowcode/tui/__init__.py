"""The Textual client of the engine."""
