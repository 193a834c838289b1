"""``propscope analyze PATH...``"""

from __future__ import annotations

import argparse
import sys

from propscope.cli import UsageError

FORMATS = ("json", "jsonl", "html", "md")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="analyse articles and write the findings")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin")
    p.add_argument("--format", choices=FORMATS, default="json", help="output format (default: json)")
    p.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--analyzers", metavar="A,B", help="comma-separated analyzers to run (default: all installed)")
    p.add_argument("--reliability", metavar="CSV", help="outlet reliability list: domain,label[,note]")
    p.add_argument("--text-field", default="text", help="JSONL/CSV field holding the article text")
    p.add_argument("--title-field", default="title")
    p.add_argument("--id-field", default="id")
    p.add_argument("--date-field", default="published")
    p.add_argument("--outlet-field", default="outlet")
    p.add_argument("--url-field", default="url")
    p.add_argument("--language-field", default="language")
    p.add_argument(
        "--jobs", "-j", type=int, default=1, metavar="N", help="worker processes, one thread each (default: 1)"
    )
    add_model_switches(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar (shown only on a terminal)")
    p.add_argument("--db", metavar="URL", help="also store the analyses here (SQLite file or postgresql:// URL)")
    p.set_defaults(func=run)


PROFILES = ("auto", "accurate", "fast")


def add_model_switches(p: argparse.ArgumentParser) -> None:
    """``--profile``, ``--role-encoder``, ``--fast-roles`` and ``--fast-techniques``, shared by analyze and serve."""
    p.add_argument(
        "--profile",
        choices=PROFILES,
        default="auto",
        help="accurate: the full techniques tagger and the small role encoder; fast: the shallower tagger and the"
        " role heads alone (about 1.5 times as fast on a processor without VNNI, less accurate); auto (default):"
        " fast on an x86 processor known to lack VNNI, accurate elsewhere. The switches below override it",
    )
    roles = p.add_mutually_exclusive_group()
    roles.add_argument(
        "--role-encoder",
        action="store_const",
        const="full",
        help="read actors' roles with the full 12-layer role encoder (three mentions each): a little more accurate,"
        " about 0.24 s more per article on one core",
    )
    roles.add_argument(
        "--fast-roles",
        action="store_const",
        const="none",
        dest="role_encoder",
        help="actors' roles from the heads alone, without the small role encoder: about 0.07 s less per article"
        " on one core (0.16 s on a processor without VNNI), less accurate",
    )
    p.add_argument(
        "--fast-techniques",
        action="store_const",
        const=True,
        help="find techniques with the shallower tagger: about 1.5 times as fast, less accurate (see the README)",
    )


def resolve_profile(profile: str) -> str:
    """``profile`` with "auto" decided for this processor: int8 graphs run about twice as slow on an x86 processor
    without VNNI (``onnx_cpu.slow_int8``), and there only the fast models keep the pipeline at 3 articles/s on 2
    cores."""
    if profile != "auto":
        return profile
    from propscope.models.onnx_cpu import slow_int8

    return "fast" if slow_int8() else "accurate"


def model_choice(profile: str, role_encoder: str | None, fast_techniques: bool | None) -> tuple[str, bool]:
    """(role encoder, fast techniques) from the profile and the switches, which win where given."""
    fast = resolve_profile(profile) == "fast"
    return role_encoder or ("none" if fast else "small"), fast if fast_techniques is None else fast_techniques


def profile_notice(args: argparse.Namespace) -> None:
    """One line on stderr where "auto" picked the fast models, so that nobody mistakes them for the full ones."""
    if args.profile == "auto" and resolve_profile("auto") == "fast":
        print(
            "propscope: this processor has no VNNI, so the fast models run (--profile accurate for the full ones)",
            file=sys.stderr,
        )


def switch_options(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    """``analyzer_options`` from parsed ``add_model_switches`` and ``--reliability``."""
    role_encoder, fast_techniques = model_choice(args.profile, args.role_encoder, args.fast_techniques)
    return analyzer_options(args.reliability, role_encoder, fast_techniques)


def analyzer_options(
    reliability: str | None, role_encoder: str = "small", fast_techniques: bool = False
) -> dict[str, dict[str, object]]:
    """Analyzer options from the command line's switches."""
    options: dict[str, dict[str, object]] = {"source": {"reliability_path": reliability}} if reliability else {}
    if role_encoder != "small":
        options["entities"] = {"role_encoder": role_encoder}
    if fast_techniques:
        options["techniques"] = {"fast": True}
    return options


def run(args: argparse.Namespace) -> int:
    from propscope.batch import analyze_inputs
    from propscope.readers import ReaderConfig

    config = ReaderConfig(
        text_field=args.text_field,
        title_field=args.title_field,
        id_field=args.id_field,
        date_field=args.date_field,
        outlet_field=args.outlet_field,
        url_field=args.url_field,
        language_field=args.language_field,
    )
    names = [n.strip() for n in args.analyzers.split(",") if n.strip()] if args.analyzers else None
    options = switch_options(args)
    profile_notice(args)
    try:
        result = analyze_inputs(
            args.paths,
            config=config,
            analyzers=names,
            options=options,
            progress=not args.no_progress and sys.stderr.isatty(),
            warn=lambda line: print(line, file=sys.stderr),
            jobs=args.jobs,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if not result.analyses:
        print("propscope: nothing could be analysed", file=sys.stderr)
        return 1
    write_output(result.analyses, args.format, args.out)
    if args.db:
        store_analyses(result.analyses, args.db)
    return 0


def store_analyses(analyses: list, url: str) -> None:
    from propscope.cli.store import open_store

    with open_store(url) as store:
        saved = [store.save(a) for a in analyses]
    new = sum(s.created for s in saved)
    print(f"propscope: stored {new} new article(s) in {url}; {len(saved) - new} already there", file=sys.stderr)


def write_output(analyses: list, fmt: str, out: str | None) -> None:
    from propscope.report import render

    text = render(analyses, fmt)
    if out:
        try:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    else:
        sys.stdout.write(text)
