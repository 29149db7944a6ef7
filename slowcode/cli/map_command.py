"""`slowcode map`: prints the repository map the model is given."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode map`."""
    parser = argparse.ArgumentParser(
        prog="slowcode map",
        description=(
            "Print the repository map the model is given: the most referred-to "
            "definitions, grouped by file, within the token budget. Tokens are counted "
            "by the model's count_tokens when a model is configured, else estimated."
        ),
    )
    parser.add_argument(
        "path", nargs="?", default=".", metavar="PATH", help="a folder inside the repository"
    )
    parser.add_argument(
        "--tokens",
        type=int,
        metavar="N",
        help="the token budget (default: context_tokens from the configuration)",
    )
    parser.add_argument(
        "--query",
        default="",
        metavar="TEXT",
        help="a task or step text: names and paths it mentions rank higher",
    )
    parser.add_argument(
        "--stats", action="store_true", help="also print files, parsed files and tokens on stderr"
    )
    parser.set_defaults(run=run_map)
    return parser


def run_map(args: argparse.Namespace) -> int:
    """Builds (or loads from the cache) and prints the map.

    Raises:
        SlowcodeError: the folder is not in a git repository, the budget is not
            positive, or the configuration cannot be used.
    """
    from slowcode.context.policy import ContextPolicy
    from slowcode.context.repomap import RepoMap
    from slowcode.context.session_context import token_counter
    from slowcode.core.config import load_config
    from slowcode.core.errors import SlowcodeError
    from slowcode.git.worktree import find_work_tree
    from slowcode.model.settings import ModelSettings

    path = Path(args.path)
    if not path.is_dir():
        raise SlowcodeError(f"not a folder: {path}")
    if args.tokens is not None and args.tokens < 1:
        raise SlowcodeError(f"--tokens must be at least 1, got {args.tokens}")
    root = find_work_tree(path)
    config = load_config(root, os.environ, {})
    settings = ModelSettings.from_config(config, os.environ)
    counter = token_counter(settings)
    repo_map = RepoMap(root, ContextPolicy(root, config.exclude))
    stats = repo_map.refresh()
    budget = args.tokens if args.tokens is not None else config.context_tokens
    text = repo_map.render(budget, args.query, counter)
    sys.stdout.write(text)
    if args.stats:
        print(
            f"{stats.files} files, {stats.parsed} parsed, {stats.hashed} hashed; "
            f"{counter.count(text)} of {budget} tokens ({counter.name})",
            file=sys.stderr,
        )
    return 0
