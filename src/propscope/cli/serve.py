"""``propscope serve [--host 127.0.0.1] [--port 8000] [--db URL] [--profile auto|accurate|fast] [--role-encoder]
[--fast-techniques]``"""

from __future__ import annotations

import argparse

from propscope.cli import UsageError
from propscope.cli.analyze import add_model_switches, profile_notice, switch_options
from propscope.cli.store import add_db_argument, open_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="analyse, browse and compare articles in the browser")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    add_db_argument(p)
    p.add_argument("--analyzers", metavar="A,B", help="comma-separated analyzers for new articles (default: all)")
    p.add_argument("--reliability", metavar="CSV", help="outlet reliability list: domain,label[,note]")
    add_model_switches(p)
    p.add_argument("--max-body", type=int, default=None, metavar="BYTES", help="request body limit (default: 10 MB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from propscope.web.app import DEFAULT_MAX_BODY, create_app
    except ImportError as exc:
        raise UsageError(f"serve needs the 'web' extra ({exc.name} is missing): pip install 'propscope[web]'") from exc
    check_address(args.host, args.port)
    names = [n.strip() for n in args.analyzers.split(",") if n.strip()] if args.analyzers else None
    options = switch_options(args)
    profile_notice(args)
    store = open_store(args.db)
    app = create_app(store, analyzers=names, options=options, max_body=args.max_body or DEFAULT_MAX_BODY)
    print(f"propscope: serving {args.db} at http://{args.host}:{args.port}/ (Ctrl-C stops)")
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        store.close()
    return 0


def check_address(host: str, port: int) -> None:
    """Fail with one line before starting, rather than with uvicorn's log after the banner."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
