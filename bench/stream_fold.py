"""Large tool inputs: slowcode's stream fold against the SDK's `messages.stream()` helper.

The fake Messages API streams one `create` tool call whose input is N MiB of
JSON in 32-character fragments (as the live API sends small ones). The baseline,
measured in the same run on the same answer, is the SDK's own stream helper,
which parses the whole input again after every fragment; slowcode's client
reads the raw event stream and parses each input once. Ratios near 1 at every
size mean linear time; the helper's grow with the size.

Usage: python bench/stream_fold.py [--sizes 0.125,0.25,0.5] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slowcode.model.client import ModelClient
from slowcode.model.types import TurnRequest
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.fakeapi.server import fake_settings

EDITOR = "str_replace_based_edit_tool"
MIB = 1024 * 1024
SECONDS_PER_MIB_TARGET = 10.0


def answer(size: int) -> object:
    text = "x = 1\n" * (size // 6)
    return reply(tool_use_block(EDITOR, {"command": "create", "path": "b.py", "file_text": text}))


async def through_slowcode(server: FakeMessagesAPI) -> int:
    client = ModelClient(fake_settings(server))
    try:
        messages = [{"role": "user", "content": "write b.py"}]
        request = TurnRequest(system=[], tools=[], messages=messages, max_tokens=100)
        turn = await client.complete(request, lambda event: None)
    finally:
        await client.aclose()
    return len(turn.content[0]["input"]["file_text"])


async def through_the_sdk_helper(server: FakeMessagesAPI) -> int:
    import anthropic

    sdk = anthropic.AsyncAnthropic(base_url=server.base_url, api_key="bench", max_retries=0)
    messages: list[anthropic.types.MessageParam] = [{"role": "user", "content": "write b.py"}]
    async with sdk.messages.stream(model="m", max_tokens=100, messages=messages) as stream:
        message = await stream.get_final_message()
    await sdk.close()
    block = message.content[0]
    assert block.type == "tool_use" and isinstance(block.input, dict)
    return len(str(block.input["file_text"]))


def timed(server: FakeMessagesAPI, size: int, run: object) -> float:
    server.script(answer(size))
    start = time.perf_counter()
    received = asyncio.run(run(server))  # type: ignore[operator]
    seconds = time.perf_counter() - start
    assert received == size // 6 * 6, (received, size)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.125,0.25,0.5", help="MiB, comma-separated")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    server = FakeMessagesAPI()
    server.start()
    missed = False
    print("| input | slowcode | SDK stream helper (baseline) | ratio | slowcode s/MiB |")
    print("|---|---|---|---|---|")
    try:
        # Imports and first connections are paid here, not by the first size measured.
        timed(server, 6, through_slowcode)
        timed(server, 6, through_the_sdk_helper)
        for size in (int(float(part) * MIB) for part in args.sizes.split(",")):
            ours = timed(server, size, through_slowcode)
            baseline = timed(server, size, through_the_sdk_helper)
            per_mib = ours / (size / MIB)
            missed |= per_mib > SECONDS_PER_MIB_TARGET or ours > baseline
            print(
                f"| {size / MIB:.3f} MiB | {ours:.2f} s | {baseline:.2f} s | "
                f"{ours / baseline:.2f} | {per_mib:.1f} |"
            )
    finally:
        server.stop()
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
