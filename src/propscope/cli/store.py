"""``propscope store upgrade|reanalyze|info --db URL``"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from propscope.cli import UsageError

DEFAULT_DB = "propscope.db"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("store", help="manage the database of stored analyses")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in (
        ("upgrade", "create the database or migrate it to the newest schema"),
        ("reanalyze", "re-run the pipeline on stored articles analysed by other model versions"),
        ("info", "schema revision and number of stored articles"),
    ):
        a = actions.add_parser(name, help=help_text)
        add_db_argument(a)
        if name == "reanalyze":
            a.add_argument("--analyzers", metavar="A,B", help="comma-separated analyzers (default: all installed)")
            a.add_argument("--reliability", metavar="CSV", help="outlet reliability list: domain,label[,note]")
            a.add_argument("--no-progress", action="store_true", help="no progress bar")
        a.set_defaults(func=run)


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL (default: {DEFAULT_DB})"
    )


def open_store(url: str) -> Any:
    """The Store at ``url``, or a one-line UsageError (bad URL, server down, web extra missing)."""
    try:
        from propscope.store import Store, StoreError
    except ImportError as exc:
        hint = "pip install 'propscope[web]'"
        raise UsageError(f"the store needs the 'web' extra ({exc.name} is missing): {hint}") from exc
    try:
        return Store(url)
    except StoreError as exc:
        raise UsageError(str(exc)) from exc
    except ImportError as exc:
        raise UsageError(f"cannot open {url}: driver {exc.name} is missing") from exc


def run(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        if args.action == "info":
            print(f"{args.db}: schema revision {store.revision()}, {store.count()} article(s)")
        elif args.action == "upgrade":
            print(f"{args.db}: schema at revision {store.revision()}")
        else:
            return reanalyze(store, args)
    return 0


def reanalyze(store: Any, args: argparse.Namespace) -> int:
    from propscope import pipeline
    from propscope.store.reanalysis import current_models, reanalyze

    names = [n.strip() for n in args.analyzers.split(",") if n.strip()] if args.analyzers else None
    options = {"source": {"reliability_path": args.reliability}} if args.reliability else {}
    try:
        pipe = pipeline.build(names, options)
    except (ValueError, ImportError) as exc:
        raise UsageError(str(exc)) from exc
    total = len(store.stale(current_models(pipe)))
    bar = None
    if total > 1 and not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="doc", desc="re-analysing", leave=False)
    result = reanalyze(store, pipe, progress=bar.update if bar else None)
    if bar:
        bar.close()
    print(f"{args.db}: re-analysed {result.redone} of {result.checked} article(s)", file=sys.stderr)
    return 0
