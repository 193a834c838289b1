"""``propscope semeval narratives DOCS_DIR -o FILE``: SemEval-2025 Task 10 subtask 2 predictions.

Writes ``doc<TAB>narr1;narr2<TAB>subnarr1;subnarr2`` for every file in DOCS_DIR (sorted by name), ``Other`` where
no narrative applies, subnarratives as ``<narrative>: <subnarrative>`` (``<narrative>: Other`` for a narrative
with no specific subnarrative).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BATCH = 16
TASK_LANGUAGES = ("bg", "en", "hi", "pt", "ru")


def document_files(docs_dir: Path) -> list[Path]:
    if not docs_dir.is_dir():
        raise ValueError(f"{docs_dir}: not a folder of documents")
    files = sorted(p for p in docs_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise ValueError(f"{docs_dir}: no documents in the folder")
    return files


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def language_of(name: str) -> str | None:
    """The task's file names start with the language (``EN_UA_300009.txt``, ``RU-URW-1001.txt``)."""
    prefix = name[:2].lower()
    return prefix if prefix in TASK_LANGUAGES and name[2:3] in ("_", "-") else None


def format_row(doc_id: str, narratives: list[str], subnarratives: list[str]) -> str:
    return f"{doc_id}\t{';'.join(narratives)}\t{';'.join(subnarratives)}\n"


def predict_rows(files: list[Path], model_dir: str | None = None) -> list[str]:
    from propscope.analyzers.narratives import NarrativesAnalyzer, semeval_labels
    from propscope.models.embedder import shared_embedder

    analyzer = NarrativesAnalyzer(model_dir)
    embedder = shared_embedder(analyzer.backend)
    rows = []
    for i in range(0, len(files), BATCH):
        batch = files[i : i + BATCH]
        texts = [read_text(p) for p in batch]
        for path, text, emb in zip(batch, texts, embedder.embed_many(texts), strict=True):
            decisions = analyzer.decisions(text, emb, language_of(path.name))
            rows.append(format_row(path.name, *semeval_labels(decisions)))
    return rows


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="propscope semeval narratives", description=__doc__.split("\n\n")[0])
    p.add_argument("docs_dir", type=Path, help="folder of the task's document files")
    p.add_argument("-o", "--out", type=Path, required=True, help="predictions file to write")
    p.add_argument("--model-dir", default=None, help="folder with narratives/subnarratives heads")
    args = p.parse_args(argv)
    try:
        rows = predict_rows(document_files(args.docs_dir), args.model_dir)
    except (OSError, ValueError) as exc:  # HeadError is a ValueError
        print(f"propscope: error: {exc}", file=sys.stderr)
        return 2
    args.out.write_text("".join(rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    return 0
