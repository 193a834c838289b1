"""``propscope`` entry point."""

from __future__ import annotations

import argparse
import importlib
import sys

from propscope import __version__
from propscope.cli import UsageError

# Each module has register(subparsers); it must import only argparse-level code at top.
COMMANDS = ("analyze", "tasks", "serve", "store")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propscope",
        description="Find how news articles persuade: techniques, narratives, roles, claims and sources.",
    )
    parser.add_argument("--version", action="version", version=f"propscope {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"propscope.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"propscope: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
