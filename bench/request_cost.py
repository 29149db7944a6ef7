"""Request-cost benchmark: what one small edit costs with slowcode and with aider 0.86.2.

The same task is given to both tools on two corpora: a small four-file package
made here, and sympy 1.14.0 (its sdist from PyPI, as bench/repomap.py gets it).
Both talk to the same loopback fake of the Messages API, in the same run:

- slowcode: the real engine (`Workflow`) with a developer who approves the plan
  and accepts every hunk; the model's turns are scripted: search for the
  function, view it (25 lines), propose a one-step plan, stage the edit and
  finish the step, then the closing summary.
- aider: the real `aider` command (in its own venv under bench/.work, as the
  repository-map bench installs it) with the file added to the chat and the
  task as `--message`; the model's answer is the same edit as a SEARCH/REPLACE
  block, then aider's commit message (its weak model).

Every request body the fake receives is billed by `bench/cache_model.py`
(Anthropic's prompt-caching rules) with tokens counted by tiktoken's
`cl100k_base` for both tools, at list prices (`slowcode.model.pricing`). The fake
returns those figures as the response's usage, so slowcode's own meter shows them
too. Times are virtual: each request takes `REQUEST_SECONDS`; `--pause` adds a
developer's pause at the plan and at the review (slowcode; aider asks nothing).

Usage: python bench/request_cost.py [--corpus small|sympy ...] [--pause SECONDS]
                                    [--skip-aider] [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.cache_model import Billing, PromptCache, request_blocks  # noqa: E402
from bench.repomap import CORPORA, DOWNLOADS, WORK, ensure_aider  # noqa: E402
from slowcode.model.loopback import MessagesServer, ReceivedRequest, ResponseWriter  # noqa: E402
from slowcode.model.pricing import price_of  # noqa: E402

MODEL = "claude-sonnet-4-5"
"""What both tools are told to use; priced as Sonnet. aider's weak model is its own choice."""
REQUEST_SECONDS = 5.0
TOKENIZER = "cl100k_base"


# -- tokens --------------------------------------------------------------------------


def _encoding() -> Any:
    """tiktoken's cl100k_base, from the data file litellm's wheel ships when it is not cached."""
    if not os.environ.get("TIKTOKEN_CACHE_DIR"):
        shipped = sorted(WORK.glob("aider-venv/lib/python*/site-packages/litellm/*/tokenizers"))
        if shipped:
            os.environ["TIKTOKEN_CACHE_DIR"] = str(shipped[0])
    import tiktoken

    try:
        return tiktoken.get_encoding(TOKENIZER)
    except Exception as error:
        # Offline, tiktoken cannot download its data file: say where to get it.
        raise SystemExit(
            f"tiktoken's {TOKENIZER} data is not available ({error}); run once without "
            "--skip-aider (the litellm wheel aider installs ships it) or set TIKTOKEN_CACHE_DIR"
        ) from None


class Tokens:
    """Counts with one tokenizer for both tools, remembering what it counted."""

    def __init__(self) -> None:
        self._encoding = _encoding()
        self._memo: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        value = self._memo.get(text)
        if value is None:
            value = len(self._encoding.encode(text, disallowed_special=()))
            self._memo[text] = value
        return value


# -- the fake ------------------------------------------------------------------------


@dataclass
class Billed:
    """One request as the fake received it and the cache model billed it."""

    number: int
    at: float
    model: str
    body: dict[str, Any]
    billing: Billing
    output_tokens: int

    @property
    def cost(self) -> float:
        price = price_of(self.model)
        if price is None:
            raise RuntimeError(f"no list price for {self.model}")
        row = price.for_prompt(self.billing.input_tokens)
        return self.billing.input_cost(price) + self.output_tokens * row.output_per_mtok / 1_000_000


@dataclass
class Clock:
    """Virtual seconds since the session started."""

    now: float = 0.0


class CostServer(MessagesServer):
    """Serves scripted assistant messages in order; bills each request on arrival."""

    def __init__(self, tokens: Tokens, clock: Clock) -> None:
        super().__init__()
        self.tokens = tokens
        self.clock = clock
        self.cache = PromptCache()
        self.turns: deque[Any] = deque()
        self.billed: list[Billed] = []
        self.count_requests = 0
        self._bill_lock = threading.Lock()

    def respond(self, request: ReceivedRequest, raw: bytes, writer: ResponseWriter) -> None:
        if request.path.endswith("/count_tokens"):
            self.count_requests += 1
        super().respond(request, raw, writer)

    def respond_messages(self, request: ReceivedRequest, writer: ResponseWriter) -> None:
        with self._bill_lock:
            if self.turns and callable(self.turns[0]):
                # A turn that depends on what the model was shown (the map).
                self.turns.extendleft(reversed(self.turns.popleft()(request.body)))
            turn = self.turns.popleft() if self.turns else None
            blocks = request_blocks(request.body, self.tokens)
            billing = self.cache.send(blocks, self.clock.now)
            model = str(request.body.get("model", MODEL))
            content = (turn or {}).get("content", [])
            output = sum(self.tokens(_output_text(block)) for block in content)
            self.billed.append(
                Billed(len(self.billed) + 1, self.clock.now, model, request.body, billing, output)
            )
            self.clock.now += REQUEST_SECONDS
        if turn is None:
            writer.send_json(
                400,
                {
                    "type": "error",
                    "error": {"type": "invalid_request_error", "message": "no scripted turn"},
                },
            )
            return
        message = {
            "id": f"msg_cost_{len(self.billed):03d}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "stop_sequence": None,
            **turn,
            "usage": {
                "input_tokens": billing.uncached,
                "output_tokens": output,
                "cache_creation_input_tokens": billing.cache_write,
                "cache_read_input_tokens": billing.cache_read,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": billing.cache_write_5m,
                    "ephemeral_1h_input_tokens": billing.cache_write_1h,
                },
            },
        }
        writer.send_message(message, stream=request.stream)


def _output_text(block: dict[str, Any]) -> str:
    if block.get("type") == "tool_use":
        return f"{block.get('name')} {json.dumps(block.get('input', {}))}"
    return str(block.get("text", ""))


# -- tasks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One small edit: the request in words, and the change a model would make."""

    corpus: str
    path: str
    function: str
    text: str
    old: str
    new: str


SMALL_PACKAGE = {
    "shop/__init__.py": '"""A small shop: carts, prices and receipts."""\n\n'
    "from shop.cart import Cart\nfrom shop.prices import PriceList\n\n"
    '__all__ = ["Cart", "PriceList"]\n',
    "shop/prices.py": '"""Prices of the items the shop sells."""\n\n'
    "from decimal import Decimal\n\n\n"
    "class PriceList:\n"
    '    """Unit prices by item name."""\n\n'
    "    def __init__(self, prices: dict[str, Decimal]) -> None:\n"
    "        self._prices = dict(prices)\n\n"
    "    def price(self, item: str) -> Decimal:\n"
    '        """The unit price of `item`."""\n'
    "        return self._prices[item]\n\n"
    "    def items(self) -> list[str]:\n"
    '        """Every item with a price, sorted."""\n'
    "        return sorted(self._prices)\n",
    "shop/cart.py": '"""A shopping cart."""\n\nfrom decimal import Decimal\n\n'
    "from shop.prices import PriceList\n\n\n"
    "class Cart:\n"
    '    """Items and their quantities, priced by a price list."""\n\n'
    "    def __init__(self, prices: PriceList) -> None:\n"
    "        self.prices = prices\n"
    "        self.lines: dict[str, int] = {}\n\n"
    "    def add(self, item: str, quantity: int = 1) -> None:\n"
    '        """Adds `quantity` of `item`."""\n'
    "        self.lines[item] = self.lines.get(item, 0) + quantity\n\n"
    "    def remove(self, item: str) -> None:\n"
    '        """Removes every unit of `item`."""\n'
    "        self.lines.pop(item, None)\n\n"
    "    def total(self) -> Decimal:\n"
    '        """The price of everything in the cart."""\n'
    "        return sum(\n"
    "            (self.prices.price(item) * quantity for item, quantity in self.lines.items()),\n"
    '            Decimal("0"),\n'
    "        )\n",
    "shop/receipt.py": '"""Receipts printed for a cart."""\n\nfrom shop.cart import Cart\n\n\n'
    "def receipt_lines(cart: Cart) -> list[str]:\n"
    '    """One line per item, then the total."""\n'
    "    lines = []\n"
    "    for item, quantity in sorted(cart.lines.items()):\n"
    "        price = cart.prices.price(item) * quantity\n"
    '        lines.append(f"{item:<20} {quantity:>3} {price:>10}")\n'
    "    lines.append(f\"{'total':<24} {cart.total():>10}\")\n"
    "    return lines\n\n\n"
    "def print_receipt(cart: Cart) -> None:\n"
    '    """Prints the receipt of `cart`."""\n'
    "    for line in receipt_lines(cart):\n"
    "        print(line)\n",
}

SMALL_TASK = Task(
    corpus="small",
    path="shop/cart.py",
    function="def total",
    text="Round the cart's total to whole cents (two decimal places) in Cart.total.",
    old='            Decimal("0"),\n        )\n',
    new='            Decimal("0"),\n        ).quantize(Decimal("0.01"))\n',
)

SYMPY_TASK = Task(
    corpus="sympy",
    path="sympy/ntheory/factor_.py",
    function="def smoothness(",
    text="Make smoothness(n) in sympy/ntheory/factor_.py raise ValueError with a clear "
    "message when n is not a positive integer.",
    old="    if n == 1:\n        return (1, 1)  # not prime, but otherwise this causes headaches\n",
    new='    if n < 1:\n        raise ValueError(f"smoothness needs a positive integer, got {n}")\n'
    "    if n == 1:\n        return (1, 1)  # not prime, but otherwise this causes headaches\n",
)


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def sympy_source() -> Path:
    """sympy 1.14.0's source tree from its sdist (downloaded and unpacked once)."""
    root = CORPORA / "sympy" / "sympy-1.14.0"
    if root.is_dir():
        return root
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    sdist = DOWNLOADS / "sympy-1.14.0.tar.gz"
    if not sdist.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                "sympy==1.14.0",
                "-d",
                str(DOWNLOADS),
            ],
            check=True,
        )
    import tarfile

    with tarfile.open(sdist) as tar:
        tar.extractall(CORPORA / "sympy", filter="data")
    return root


def base_repository(corpus: str) -> Path:
    """A committed git repository of the corpus, made once; each run clones it."""
    base = WORK / "cost-repos" / corpus
    if (base / ".git").is_dir():
        return base
    shutil.rmtree(base, ignore_errors=True)
    if corpus == "small":
        for rel, text in SMALL_PACKAGE.items():
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_text(text, encoding="utf-8")
    else:
        shutil.copytree(sympy_source(), base)
    _git(base, "init", "-q", "-b", "main")
    _git(base, "add", "-A")
    _git(base, "commit", "-q", "-m", "Initial import")
    return base


def fresh_clone(corpus: str, name: str) -> Path:
    target = WORK / "cost-runs" / f"{corpus}-{name}"
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "clone", "-q", str(base_repository(corpus)), str(target)],
        check=True,
        capture_output=True,
    )
    _git(target, "config", "user.name", "Bench")
    _git(target, "config", "user.email", "bench@example.invalid")
    return target


def view_range(root: Path, task: Task) -> list[int]:
    """The 25 lines from the function's definition: what the scripted model views."""
    lines = (root / task.path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines, start=1) if task.function in line)
    return [start, min(start + 24, len(lines))]


# -- slowcode --------------------------------------------------------------------------


def tool_use(number: int, name: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_use", "id": f"toolu_cost_{number:02d}", "name": name, "input": tool_input}


def map_shows(body: dict[str, Any], task: Task) -> bool:
    """Whether the map in a request names the task's function under the task's file."""
    system = "\n".join(str(block.get("text", "")) for block in body.get("system") or [])
    lines = system.splitlines()
    if f"{task.path}:" not in lines:
        return False
    for line in lines[lines.index(f"{task.path}:") + 1 :]:
        if re.fullmatch(r"\w[\w./-]*:?", line):
            return False  # the next file's block
        if line.strip().startswith(task.function):
            return True
    return False


def slowcode_turns(root: Path, task: Task) -> list[Any]:
    """The model's side of a one-step session, as a model working carefully would answer.

    It views the function (25 lines) where the map shows it, and searches for it
    first where the map does not; then it proposes a one-step plan, stages the
    edit and finishes the step in one turn, and ends with a summary.
    """
    editor = "str_replace_based_edit_tool"
    name = task.function.removeprefix("def ").rstrip("(")
    title = task.text.split(" in ")[0].rstrip(".")
    plan = {"goal": task.text, "steps": [{"title": title, "why": "Asked for; one small change."}]}
    view = {
        "content": [
            tool_use(
                2,
                editor,
                {"command": "view", "path": task.path, "view_range": view_range(root, task)},
            )
        ],
        "stop_reason": "tool_use",
    }
    search = {
        "content": [
            tool_use(1, "search_code", {"pattern": f"def {name}\\b", "path_glob": "**/*.py"})
        ],
        "stop_reason": "tool_use",
    }

    def read(body: dict[str, Any]) -> list[dict[str, Any]]:
        return [view] if map_shows(body, task) else [search, view]

    return [
        read,
        {"content": [tool_use(3, "propose_plan", plan)], "stop_reason": "tool_use"},
        {
            "content": [
                tool_use(
                    4,
                    editor,
                    {
                        "command": "str_replace",
                        "path": task.path,
                        "old_str": task.old,
                        "new_str": task.new,
                    },
                ),
                tool_use(5, "finish_step", {"summary": task.text}),
            ],
            "stop_reason": "tool_use",
        },
        {"content": [{"type": "text", "text": "Done: " + task.text}], "stop_reason": "end_turn"},
    ]


class Developer:
    """Approves the plan and accepts every hunk, after `pause` virtual seconds each."""

    def __init__(self, clock: Clock, pause: float) -> None:
        self.clock = clock
        self.pause = pause

    async def review_plan(self, plan: Any) -> Any:
        from slowcode.engine.human import PlanVerdict

        self.clock.now += self.pause
        return PlanVerdict(approved=True, steps=list(plan.steps))

    async def review_step(self, review: Any) -> Any:
        from slowcode.core.step_review import Verdict
        from slowcode.engine.human import StepAction, StepVerdict

        self.clock.now += self.pause
        for position in range(len(review.hunks)):
            review.set_verdict(position, Verdict.ACCEPTED)
        return StepVerdict(StepAction.APPLY)

    async def answer_question(self, question: Any) -> Any:
        raise RuntimeError("the scripted session asks no question")


def run_slowcode(task: Task, tokens: Tokens, pause: float, ttl: str) -> CostServer:
    from slowcode.core.config import Config
    from slowcode.engine.session.workflow import Workflow
    from slowcode.model.settings import ModelSettings

    root = fresh_clone(task.corpus, f"slowcode-{ttl}-{int(pause)}")
    clock = Clock()
    server = CostServer(tokens, clock)
    server.turns.extend(slowcode_turns(root, task))
    with server:
        settings = ModelSettings(
            model=MODEL,
            base_url=server.base_url,
            api_key="bench-key",
            max_retries=0,
            stream_retries=0,
            timeout_seconds=60,
        )
        workflow = Workflow(
            root=root,
            config=Config(model=MODEL, cache_ttl=ttl),
            settings=settings,
            human=Developer(clock, pause),
            on_progress=lambda event: None,
        )
        asyncio.run(workflow.run(task.text))
        if workflow.session.state.value != "done" or server.turns:
            raise RuntimeError(f"slowcode's session ended in {workflow.session.state.value}")
    changed = (root / task.path).read_text(encoding="utf-8")
    if task.new not in changed:
        raise RuntimeError("slowcode's session did not apply the edit")
    return server


# -- aider -----------------------------------------------------------------------------


def aider_turns(task: Task) -> list[dict[str, Any]]:
    """aider's model: the edit as a SEARCH/REPLACE block, then a commit message."""
    edit = (
        "I'll make that change.\n\n"
        f"{task.path}\n```python\n<<<<<<< SEARCH\n{task.old}=======\n{task.new}"
        ">>>>>>> REPLACE\n```\n"
    )
    subject = task.text.split(" in ")[0].rstrip(".")
    return [
        {"content": [{"type": "text", "text": edit}], "stop_reason": "end_turn"},
        {
            "content": [{"type": "text", "text": f"fix: {subject[0].lower()}{subject[1:]}"}],
            "stop_reason": "end_turn",
        },
    ]


def run_aider(python: Path, task: Task, tokens: Tokens) -> CostServer:
    root = fresh_clone(task.corpus, "aider")
    server = CostServer(tokens, Clock())
    server.turns.extend(aider_turns(task))
    aider = python.parent / "aider"
    with server:
        env = {
            **os.environ,
            "ANTHROPIC_API_KEY": "bench-key",
            "ANTHROPIC_API_BASE": server.base_url,
            "ANTHROPIC_BASE_URL": server.base_url,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "HOME": str(root.parent / "aider-home"),
        }
        argv = [
            str(aider),
            "--model",
            f"anthropic/{MODEL}",
            "--message",
            task.text,
            "--yes-always",
            "--no-check-update",
            "--analytics-disable",
            "--no-show-model-warnings",
            "--no-pretty",
            "--no-fancy-input",
            "--no-detect-urls",
            "--no-gitignore",
            "--no-show-release-notes",
            task.path,
        ]
        done = subprocess.run(
            argv, cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        if done.returncode != 0 or task.new not in (root / task.path).read_text(encoding="utf-8"):
            raise RuntimeError(
                f"aider failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
    return server


# -- report ----------------------------------------------------------------------------


@dataclass
class Run:
    """One tool's session on one corpus."""

    corpus: str
    tool: str
    billed: list[Billed]
    count_requests: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def cost(self) -> float:
        return sum(request.cost for request in self.billed)

    def total(self, name: str) -> int:
        return sum(getattr(request.billing, name) for request in self.billed)


def request_table(runs: list[Run]) -> str:
    lines = [
        "| corpus | tool | # | model | input tokens | breakpoints | cache read / write / "
        "uncached | output | cost |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        for request in run.billed:
            b = request.billing
            write = f"{b.cache_write:,}" + (" (1h)" if b.cache_write_1h else "")
            lines.append(
                f"| {run.corpus} | {run.tool} | {request.number} | {request.model} "
                f"| {b.input_tokens:,} | {b.breakpoints} | {b.cache_read:,} / {write} / "
                f"{b.uncached:,} | {request.output_tokens:,} | ${request.cost:.4f} |"
            )
    return "\n".join(lines)


def summary_table(runs: list[Run]) -> str:
    lines = [
        "| corpus | tool | requests | input tokens | largest request | cache read / write / "
        "uncached | estimated cost | vs aider |",
        "|---|---|---|---|---|---|---|---|",
    ]
    aider = {run.corpus: run.cost for run in runs if run.tool.startswith("aider")}
    for run in runs:
        ratio = f"{run.cost / aider[run.corpus]:.2f}x" if run.corpus in aider else "n/a"
        count = f" (+{run.count_requests} count_tokens)" if run.count_requests else ""
        largest = max(request.billing.input_tokens for request in run.billed)
        lines.append(
            f"| {run.corpus} | {run.tool} | {len(run.billed)}{count} "
            f"| {run.total('input_tokens'):,} | {largest:,} "
            f"| {run.total('cache_read'):,} / {run.total('cache_write'):,} / "
            f"{run.total('uncached'):,} | ${run.cost:.4f} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=["small", "sympy"])
    parser.add_argument(
        "--pause",
        type=float,
        default=360.0,
        help="the developer's pause at the plan and at the review, for the "
        "paused rows (seconds; default 360)",
    )
    parser.add_argument("--skip-aider", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="also print each request body")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    aider = None if args.skip_aider else ensure_aider()
    tokens = Tokens()
    runs: list[Run] = []
    for corpus in args.corpus or ["small", "sympy"]:
        task = SMALL_TASK if corpus == "small" else SYMPY_TASK
        base_repository(corpus)
        if aider is not None:
            server = run_aider(aider, task, tokens)
            runs.append(Run(corpus, "aider 0.86.2", server.billed, server.count_requests))
        server = run_slowcode(task, tokens, 0.0, "5m")
        runs.append(Run(corpus, "slowcode", server.billed, server.count_requests))
        for ttl in ("5m", "1h"):
            server = run_slowcode(task, tokens, args.pause, ttl)
            name = f"slowcode, {args.pause / 60:g}-min pauses, cache_ttl {ttl}"
            runs.append(Run(corpus, name, server.billed, server.count_requests))
        if args.verbose:
            for run in runs[-4:]:
                for request in run.billed:
                    print(
                        json.dumps({"tool": run.tool, "n": request.number, **request.body})[:4000]
                    )
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "corpus": r.corpus,
                        "tool": r.tool,
                        "cost": r.cost,
                        "requests": [
                            {
                                "input": q.billing.input_tokens,
                                "read": q.billing.cache_read,
                                "write": q.billing.cache_write,
                                "uncached": q.billing.uncached,
                                "output": q.output_tokens,
                                "cost": q.cost,
                            }
                            for q in r.billed
                        ],
                    }
                    for r in runs
                ],
                indent=2,
            )
        )
        return 0
    print(
        f"Tokens: tiktoken {TOKENIZER}, both tools. Prices: {MODEL} list prices "
        "(aider's commit message: its weak model's).\n"
    )
    print(request_table(runs))
    print()
    print(summary_table(runs))
    for run in runs:
        for request in run.billed:
            for problem in request.billing.problems:
                print(f"warning: {run.tool} request {request.number}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
