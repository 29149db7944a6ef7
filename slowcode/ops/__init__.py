"""After-the-fact operations on recorded sessions: history, replay, undo, blame."""
