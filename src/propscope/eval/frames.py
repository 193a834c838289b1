"""``propscope eval frames --data DIR``: micro-F1 of the frames model on SemEval-2023 Task 3 subtask 2 data
(the task's official measure)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from propscope.schema import Document

DEFAULT_DATA = Path("../shared/data")


def micro_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    """F1 over all (document, label) pairs pooled together."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold rows but {len(pred)} predictions")
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        g, p = set(g), set(p)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def load_split(data: Path, lang: str, split: str) -> list[Document] | None:
    """The SemEval-2023 documents, or None after printing one line when they cannot be read."""
    from propscope.readers.research import read_semeval2023

    try:
        return read_semeval2023(data, lang, split)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="propscope eval frames", description=__doc__)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    p.add_argument("--split", default="dev", help="split to score")
    p.add_argument("--langs", default="en,ru", help="SemEval-2023 language codes (fr/ge/it/po dev are in training)")
    p.add_argument("--model-dir", default=None, help="folder with the frames head")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _parse(argv)
    if not args.data.is_dir():
        print(f"error: data folder not found: {args.data} (pass --data DIR)", file=sys.stderr)
        return 2
    from propscope.models.heads import HeadError

    try:
        return _score(args)
    except HeadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _score(args: argparse.Namespace) -> int:
    from propscope.analyzers.frames import FramesAnalyzer
    from propscope.schema import Analysis

    analyzer = FramesAnalyzer(args.model_dir)
    print("lang\tdocs\tmicro_F1")
    for lang in [x.strip() for x in args.langs.split(",") if x.strip()]:
        docs = load_split(args.data, lang, args.split)
        if docs is None:
            return 2
        docs = [d for d in docs if d.meta["gold"]["frames"]]
        preds = analyzer.predict_batch(docs, [Analysis(d) for d in docs])
        gold = [d.meta["gold"]["frames"] for d in docs]
        score = micro_f1(gold, [[f.label for f in p["frames"]] for p in preds])
        print(f"{lang}\t{len(docs)}\t{score:.3f}")
    return 0
