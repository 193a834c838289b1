"""``propscope eval roles --data DIR``: fine-role exact match ratio and main-role accuracy (SemEval-2025 st1)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

LANGS = ("EN", "RU", "BG", "PT", "HI")


def exact_match_ratio(gold: list[set[str]], pred: list[set[str]]) -> float:
    """Share of mentions whose predicted fine-role set equals the gold set."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def accuracy(gold: list[str], pred: list[str]) -> float:
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def evaluate(data: Path, split: str, langs: tuple[str, ...]) -> dict[str, dict[str, float]]:
    from propscope.analyzers.entities import classify_mentions
    from propscope.readers.research import read_semeval2025

    report = {}
    for lang in langs:
        gold_main, gold_fine, pred_main, pred_fine = [], [], [], []
        for doc in read_semeval2025(data, lang, split):
            spans = doc.spans.get("gold:entities", [])
            preds = classify_mentions(doc.text, [(s.start, s.end) for s in spans], doc.language)
            for span, fine, pred in zip(spans, doc.meta["gold"]["entity_fine_roles"], preds, strict=True):
                gold_main.append(span.label)
                gold_fine.append(set(fine))
                pred_main.append(pred.main)
                pred_fine.append(set(pred.fine))
        report[lang] = {
            "mentions": len(gold_main),
            "exact_match_ratio": round(exact_match_ratio(gold_fine, pred_fine), 4),
            "main_role_accuracy": round(accuracy(gold_main, pred_main), 4),
        }
    return report


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="propscope eval roles", description=__doc__)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--split", default="dev", help="train or dev (train numbers are not test numbers)")
    p.add_argument("--langs", default=",".join(LANGS))
    p.add_argument("--json", type=Path, help="also write the report here")
    args = p.parse_args(argv)
    folder = args.data / "semeval2025-task10" / args.split
    if not folder.is_dir():
        print(f"propscope: error: {folder} not found", file=sys.stderr)
        return 2
    report = evaluate(args.data, args.split, tuple(x.strip().upper() for x in args.langs.split(",")))
    if args.split == "train":
        print("note: the shipped heads were fitted on train; these are not test numbers", file=sys.stderr)
    print(f"{'lang':6}{'mentions':>10}{'EMR':>8}{'main acc':>10}")
    for lang, r in report.items():
        print(f"{lang:6}{r['mentions']:>10}{r['exact_match_ratio']:>8.3f}{r['main_role_accuracy']:>10.3f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0
