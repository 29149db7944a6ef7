"""The conformance suite of a model that misbehaves: one test per deviation of issue 16.

Each deviation is scripted on the fake Messages API and goes through the real SDK.
Each test checks what the model (or the developer) is told, word for word, the
journal event that records the recovery, and the end state: the session goes on
and commits the step, or it stops FAILED with one line and a resume from the
journal picks it up. See docs/reliability.md ("A model that misbehaves"):

- `test_tool_errors.py`: plain text mid-step, `finish_step` with nothing staged,
  edits before `propose_plan`, reads and edits in one turn, the same non-unique
  `old_str` three times running, a path that doesn't exist, `max_tokens` in the
  middle of a tool input;
- `test_stop_reasons.py`: `refusal`, `pause_turn`;
- `test_context_window.py`: `model_context_window_exceeded`, a 400 "prompt is too
  long", and a prompt that never fits.
"""
