"""Every screen shows hostile text literally: nothing crashes, nothing is interpreted or sent."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual.widgets import Input

from slowcode.core.config import Config
from slowcode.tui.app import SlowcodeApp
from tests.fakeapi import FakeMessagesAPI, fake_settings, http_error

from .hostile_walk import HOSTILE_PIECES, assert_inert, hostile, repository, wait_for, walk

SIZE = (220, 60)


async def test_every_screen_shows_hostile_text_literally(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    await walk(tmp_path, fake_api, HOSTILE_PIECES)


async def test_a_hostile_server_error_is_one_literal_line(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repository(tmp_path, "a.txt")
    message = hostile("Gateway says")
    fake_api.script(http_error(400, message))
    settings = fake_settings(fake_api, max_retries=0, stream_retries=0)
    app = SlowcodeApp(tmp_path, Config(), settings, resume=False, initial_task="a task")
    async with app.run_test(size=SIZE) as pilot:
        app.session_screen.query_one("#task", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session_screen.has_class("-failed"))
        await pilot.pause()
        assert_inert(app, "Gateway says [/x]")


def _generated_pieces(seed: int, count: int) -> tuple[str, ...]:
    """Random strings over markup brackets, control characters and bidi overrides."""
    alphabet = "[]/=@ab \x1b\x07\x9b\x9d\u202e\u2066\ud800;:%\\" + "".join(map(chr, range(32)))
    generator = random.Random(seed)
    return tuple(
        "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 40)))
        for _ in range(count)
    )


# One seed in the default suite; all twenty in `make bench`.
@pytest.mark.parametrize(
    "seed", [0, *(pytest.param(seed, marks=pytest.mark.slow) for seed in range(1, 20))]
)
async def test_every_screen_survives_generated_hostile_text(
    tmp_path: Path, fake_api: FakeMessagesAPI, seed: int
) -> None:
    await walk(tmp_path, fake_api, HOSTILE_PIECES + _generated_pieces(seed, 30))
