"""Talking with the model: the tools offered, tool-call routing, the bounded conversation."""
