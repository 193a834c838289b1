"""``train``, ``eval`` and ``semeval``: each TASK is a module with ``main(argv) -> int``.

Modules are found by name, so this file never imports torch or a model by itself.
"""

from __future__ import annotations

import argparse
import importlib

from propscope.cli import UsageError

# command -> (help, module prefix, tasks)
GROUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "train": (
        "train a model (needs the 'training' extra)",
        "propscope_training",
        (
            "techniques",
            "narratives",
            "roles",
            "role_encoder",
            "role_soup",
            "e5_int8",
            "mention_tagger",
            "genre",
            "frames",
            "paragraph_techniques",
        ),
    ),
    "eval": (
        "measure a model on annotated data",
        "propscope.eval",
        ("techniques", "narratives", "roles", "genre", "frames"),
    ),
    "semeval": ("write official SemEval submission files", "propscope.semeval", ("si", "st3", "narratives", "roles")),
}


def register(sub: argparse._SubParsersAction) -> None:
    for command, (help_text, prefix, tasks) in GROUPS.items():
        p = sub.add_parser(command, help=help_text, add_help=False)
        p.add_argument("task", choices=tasks, help="what to " + command)
        p.add_argument("rest", nargs=argparse.REMAINDER, help="options of the task (see TASK --help)")
        p.set_defaults(func=run, prefix=prefix, command=command)


def run(args: argparse.Namespace) -> int:
    module_name = f"{args.prefix}.{args.task}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        hint = " (pip install 'propscope[training]')" if args.command == "train" else ""
        raise UsageError(f"'{args.command} {args.task}' is not available: {exc.name} is missing{hint}") from exc
    return int(module.main(list(args.rest)) or 0)
