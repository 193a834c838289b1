"""``propscope semeval si ARTICLES_DIR -o FILE``: a SemEval-2020 Task 11 span identification (SI) submission.

One ``article_id<TAB>start<TAB>end`` line per propaganda span, overlapping spans merged, as the official
scorer expects. ``--check FILE`` validates an existing submission against the articles instead.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from propscope.eval.spans import merge_overlapping
from propscope.schema import Analysis, Document

ARTICLE_NAME = re.compile(r"article(\d+)")  # the official scorers take the id from this part of the name
BOM = b"\xef\xbb\xbf"
SiRow = tuple[str, int, int]


class SubmissionError(Exception):
    """Bad input for a submission command, shown as one line."""


def article_id(path: Path) -> str | None:
    match = ARTICLE_NAME.match(path.name)
    return match.group(1) if match else None


def read_articles(folder: Path, lang: str | None = "en", warn: Callable[[str], None] = print) -> list[Document]:
    """``article<ID>.txt`` files of ``folder`` through the plain text reader, with ``doc.id`` = ID.

    Unreadable files are reported through ``warn`` and skipped. The reader drops a UTF-8 BOM; the official
    offsets count it as a character, so ``doc.meta["offset_shift"]`` records it for the writers.
    """
    from propscope.readers.base import Problem, ReaderConfig
    from propscope.readers.dispatch import read_file

    if not folder.is_dir():
        raise SubmissionError(f"{folder}: not a folder of article<ID>.txt files")
    docs = []
    for path in sorted(folder.glob("article*.txt"), key=lambda p: p.name):
        doc_id = article_id(path)
        if doc_id is None:
            warn(f"warning: {path}: no numeric article id in the name; skipped")
            continue
        for item in read_file(path, ReaderConfig()):
            if isinstance(item, Problem):
                warn(str(item))
                continue
            item.id, item.language = doc_id, item.language or lang
            item.meta["offset_shift"] = 1 if path.read_bytes().startswith(BOM) else 0
            docs.append(item)
    if not docs:
        raise SubmissionError(f"{folder}: no readable article<ID>.txt files")
    return docs


def article_texts(folder: Path) -> dict[str, str]:
    """The articles' texts as the official tools read them (BOM kept), by id."""
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: not a folder of article<ID>.txt files")
    texts = {}
    for path in sorted(folder.glob("article*.txt")):
        doc_id = article_id(path)
        if doc_id is not None:
            with open(path, encoding="utf-8", errors="replace", newline="") as fh:
                texts[doc_id] = fh.read()
    return texts


def si_rows(analyses: list[Analysis]) -> list[SiRow]:
    """Merged technique spans of each article, in article then offset order."""
    rows = []
    for analysis in analyses:
        doc = analysis.document
        shift = doc.meta.get("offset_shift", 0)
        for start, end in merge_overlapping((t.start, t.end) for t in analysis.techniques):
            rows.append((doc.id, start + shift, end + shift))
    return rows


def format_si(rows: list[SiRow]) -> str:
    return "".join(f"{doc_id}\t{start}\t{end}\n" for doc_id, start, end in rows)


def parse_si(path: Path) -> tuple[list[SiRow], list[str]]:
    """Rows of an SI file and the format errors found (``FILE:LINE: message``)."""
    rows: list[SiRow] = []
    errors: list[str] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        return [], [f"{path}: cannot read: {exc}"]
    for number, line in enumerate(lines, 1):
        fields = line.rstrip("\r").split("\t")
        if len(fields) != 3 or not all(f.strip().isdigit() for f in fields):
            errors.append(f"{path}:{number}: expected article_id<TAB>start<TAB>end (digits)")
            continue
        doc_id, start, end = fields[0].strip(), int(fields[1]), int(fields[2])
        if start >= end:
            errors.append(f"{path}:{number}: end {end} must be greater than start {start}")
            continue
        rows.append((doc_id, start, end))
    return rows, errors


def check_si(path: Path, texts: dict[str, str] | None = None) -> list[str]:
    """Format errors of an SI submission; with ``texts`` (id -> article), ids and offsets are checked too.

    Overlapping spans in one article are an error: the official scorer rejects them unless run with -m.
    """
    rows, errors = parse_si(path)
    by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, end in rows:
        by_doc[doc_id].append((start, end))
    for doc_id, spans in by_doc.items():
        if texts is not None and doc_id not in texts:
            errors.append(f"{path}: article {doc_id} is not among the articles")
        elif texts is not None and max(e for _, e in spans) > len(texts[doc_id]):
            errors.append(f"{path}: article {doc_id} has a span past its end ({len(texts[doc_id])})")
        if len(merge_overlapping(spans)) != len(spans):
            errors.append(f"{path}: article {doc_id} has overlapping spans")
    return errors


def report_check(path: Path, errors: list[str], what: str) -> int:
    for line in errors[:20]:
        print(line, file=sys.stderr)
    if len(errors) > 20:
        print(f"... and {len(errors) - 20} more", file=sys.stderr)
    if errors:
        return 1
    print(f"{path}: {what} format ok")
    return 0


def build_parser(prog: str, doc: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=doc.split("\n\n")[0])
    p.add_argument("articles", type=Path, metavar="ARTICLES_DIR", help="folder of article<ID>.txt files")
    p.add_argument("-o", "--out", type=Path, metavar="FILE", help="submission file to write")
    p.add_argument("--check", type=Path, metavar="FILE", help="only validate FILE against the articles")
    p.add_argument("--lang", default="en", help="language of the articles (default: en)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="analyzer option (repeatable)")
    return p


def analyse_folder(args: argparse.Namespace) -> tuple[list[Analysis], str]:
    """Read the articles and run the techniques analyzer; returns the analyses and the analyzer's paragraph source."""
    from propscope.eval.techniques import EvalError, load_techniques, parse_options, predict, resolve_paragraph_source

    warn = lambda line: print(line, file=sys.stderr)  # noqa: E731
    docs = read_articles(args.articles, args.lang, warn)
    try:
        analyzer = load_techniques(parse_options(args.option))
    except EvalError as exc:
        raise SubmissionError(str(exc)) from exc
    analyses = predict(docs, analyzer)
    for analysis in analyses:
        for error in analysis.errors:
            warn(f"warning: article {analysis.document.id}: {error.analyzer} failed: {error.message}")
    return analyses, resolve_paragraph_source("auto", analyzer)


def write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SubmissionError(f"cannot write {path}: {exc.strerror or exc}") from exc


def main(argv: list[str]) -> int:
    args = build_parser("propscope semeval si", __doc__).parse_args(argv)
    try:
        if args.check:
            return report_check(args.check, check_si(args.check, article_texts(args.articles)), "SI")
        if not args.out:
            raise SubmissionError("give -o FILE to write the submission (or --check FILE to validate one)")
        analyses, _ = analyse_folder(args)
        rows = si_rows(analyses)
        write(args.out, format_si(rows))
    except SubmissionError as exc:
        print(f"propscope: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(rows)} spans for {len(analyses)} articles to {args.out}", file=sys.stderr)
    return report_check(args.out, check_si(args.out, article_texts(args.articles)), "SI")
