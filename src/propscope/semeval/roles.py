"""``propscope semeval roles DOCS_DIR MENTIONS_FILE -o FILE``: SemEval-2025 Task 10 subtask 1 predictions.

Reads the official mentions file (``doc<TAB>mention<TAB>start<TAB>end``, end inclusive) and writes
``doc<TAB>mention<TAB>start<TAB>end<TAB>main_role<TAB>fine_role...``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any


def read_mentions(path: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Mentions by document; raises ValueError naming the file and line on a malformed row."""
    by_doc: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for number, line in enumerate(fh, 1):
            fields = line.rstrip("\r\n").split("\t")
            if not line.strip():
                continue
            if len(fields) < 4 or not fields[2].isdigit() or not fields[3].isdigit():
                raise ValueError(f"{path}:{number}: expected doc<TAB>mention<TAB>start<TAB>end")
            by_doc[fields[0]].append((fields[1], int(fields[2]), int(fields[3])))
    return by_doc


def predict_rows(
    docs_dir: Path, mentions: dict[str, list[tuple[str, int, int]]], language: str | None = None
) -> list[list[str]]:
    """Rows of the submission file. A document's language is ``language`` if given, else the task's file-name
    prefix (``EN_...``), else detected from its text."""
    from propscope.analyzers.entities import classify_mentions
    from propscope.semeval.narratives import language_of

    rows = []
    for doc_id, items in mentions.items():
        path = docs_dir / doc_id
        if not path.is_file():
            raise ValueError(f"{path}: document named in the mentions file is missing")
        with path.open(encoding="utf-8", newline="") as fh:  # keep CRLF: the offsets count it
            text = fh.read()
        for (mention, start, end), pred in zip(
            items,
            classify_mentions(
                text, [(s, e + 1) for _, s, e in items], language or language_of(doc_id) or _detect(text)
            ),
            strict=True,
        ):
            rows.append([doc_id, mention, str(start), str(end), pred.main, *pred.fine])
    return rows


def _detect(text: str) -> str | None:
    try:
        return _detector().detect(text)[0]
    except ValueError:  # too little text: the heads then use no language prior
        return None


@lru_cache(maxsize=1)
def _detector() -> Any:
    from propscope.analyzers.language import LanguageAnalyzer

    return LanguageAnalyzer()


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="propscope semeval roles", description=__doc__.split("\n\n")[0])
    p.add_argument("docs_dir", type=Path)
    p.add_argument("mentions", type=Path)
    p.add_argument("-o", "--out", type=Path, required=True)
    p.add_argument("--lang", help="ISO 639-1 code of every document (default: file-name prefix, else detected)")
    args = p.parse_args(argv)
    try:
        rows = predict_rows(args.docs_dir, read_mentions(args.mentions), args.lang and args.lang.lower())
    except (OSError, ValueError) as exc:
        print(f"propscope: error: {exc}", file=sys.stderr)
        return 2
    args.out.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0
