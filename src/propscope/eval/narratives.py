"""``propscope eval narratives --data DIR``: samples-F1 of the narrative model on SemEval-2025 Task 10 data.

Coarse F1 compares narrative label sets, fine F1 subnarrative label sets, both as the task writes them (``Other``
when none applies), averaged over documents (samples-F1, the averaging of the task's ``F1@coarse``/``F1@fine``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DATA = Path("../shared/data")


def sample_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 between two label sets; two empty sets agree perfectly."""
    g, p = set(gold), set(pred)
    if not g and not p:
        return 1.0
    return 2 * len(g & p) / (len(g) + len(p))


def samples_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    """Mean over documents of the per-document F1."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold rows but {len(pred)} predictions")
    if not gold:
        return 0.0
    return sum(sample_f1(g, p) for g, p in zip(gold, pred, strict=True)) / len(gold)


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="propscope eval narratives", description=__doc__)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    p.add_argument("--split", default="dev", help="split to score (dev is held back in the shared copy)")
    p.add_argument("--langs", default="BG,EN,HI,PT,RU", help="comma-separated languages")
    p.add_argument("--model-dir", default=None, help="folder with narratives/subnarratives heads")
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
    from propscope.analyzers.narratives import NarrativesAnalyzer, semeval_labels
    from propscope.models.embedder import shared_embedder
    from propscope.readers.research import read_semeval2025

    analyzer = NarrativesAnalyzer(args.model_dir)
    if args.split == "train":
        print("note: scoring the training split, which the shipped model was fitted on: not a test number")
    print("lang\tdocs\tF1_coarse\tF1_fine")
    for lang in [x.strip().upper() for x in args.langs.split(",") if x.strip()]:
        try:
            docs = read_semeval2025(args.data, lang, args.split)
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        embeddings = shared_embedder(analyzer.backend).embed_many([d.text for d in docs])
        preds = [
            semeval_labels(analyzer.decisions(d.text, e, lang.lower())) for d, e in zip(docs, embeddings, strict=True)
        ]
        coarse = samples_f1([d.meta["gold"]["narratives"] for d in docs], [p[0] for p in preds])
        fine = samples_f1([d.meta["gold"]["subnarratives"] for d in docs], [p[1] for p in preds])
        print(f"{lang}\t{len(docs)}\t{coarse:.3f}\t{fine:.3f}")
    return 0
