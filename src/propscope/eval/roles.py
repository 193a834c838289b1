"""``propscope eval roles --data DIR``: fine-role exact match ratio and main-role accuracy (SemEval-2025 st1)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
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


def actor_coverage(
    articles: Iterable[tuple[str, str | None, list[tuple[int, int]]]], limit: int = 8, finder: Callable | None = None
) -> dict:
    """How the run-time actor finder meets annotated mentions, over (text, language, annotated spans) per article:
    the share of annotated mentions that a mention of one of the article's actors overlaps, actors per article, and
    the share of actors with a mention on an annotated one (annotators mark only some actors, so this is low).
    ``finder(text, language, limit)`` gives the actors; ``mentions.actors`` unless given."""
    from propscope.analyzers.mentions import actors

    finder = finder or actors
    n_articles = n_annotated = n_covered = n_actors = n_on_annotated = 0
    for text, language, annotated in articles:
        found = [[(m.start, m.end) for m in c.mentions] for c in finder(text, language, limit)]
        every = [span for mentions in found for span in mentions]
        n_articles += 1
        n_annotated += len(annotated)
        n_covered += sum(_overlaps(span, every) for span in annotated)
        n_actors += len(found)
        n_on_annotated += sum(any(_overlaps(span, annotated) for span in mentions) for mentions in found)
    return {
        "articles": n_articles,
        "annotated_mentions": n_annotated,
        "covered": round(n_covered / n_annotated, 4) if n_annotated else 0.0,
        "actors_per_article": round(n_actors / n_articles, 2) if n_articles else 0.0,
        "actors_on_annotated": round(n_on_annotated / n_actors, 4) if n_actors else 0.0,
    }


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in others)


def annotated_articles(data: Path, split: str, lang: str) -> Iterable[tuple[str, str | None, list[tuple[int, int]]]]:
    from propscope.readers.research import read_semeval2025

    for doc in read_semeval2025(data, lang, split):
        spans = [(s.start, s.end) for s in doc.spans.get("gold:entities", [])]
        if spans:
            yield doc.text, doc.language, spans


def print_coverage(data: Path, split: str, langs: tuple[str, ...]) -> dict:
    from propscope.models.mention_tagger import shipped_tagger

    report = {lang: actor_coverage(annotated_articles(data, split, lang)) for lang in langs}
    print("\nrun-time actors (NER, merged, ranked) against the annotated mentions:")
    print(f"{'lang':6}{'articles':>10}{'mentions':>10}{'covered':>9}{'actors/article':>16}{'on annotated':>14}")
    for lang, r in report.items():
        print(
            f"{lang:6}{r['articles']:>10}{r['annotated_mentions']:>10}{r['covered']:>9.3f}"
            f"{r['actors_per_article']:>16.2f}{r['actors_on_annotated']:>14.3f}"
        )
    tagged = [lang for lang in langs if shipped_tagger(lang.lower())]
    if split == "train" and tagged:
        print(f"note: the {', '.join(tagged)} mention taggers were trained on train: their actors are in-sample here")
    return report


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="propscope eval roles", description=__doc__)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--split", default="dev", help="train or dev (train numbers are not test numbers)")
    p.add_argument("--langs", default=",".join(LANGS))
    p.add_argument("--json", type=Path, help="also write the report here")
    p.add_argument("--actors", action="store_true", help="also: how many annotated mentions the run-time actors cover")
    args = p.parse_args(argv)
    folder = args.data / "semeval2025-task10" / args.split
    if not folder.is_dir():
        print(f"propscope: error: {folder} not found", file=sys.stderr)
        return 2
    langs = tuple(x.strip().upper() for x in args.langs.split(","))
    report = evaluate(args.data, args.split, langs)
    if args.split == "train":
        print("note: the shipped heads were fitted on train; these are not test numbers", file=sys.stderr)
    print(f"{'lang':6}{'mentions':>10}{'EMR':>8}{'main acc':>10}")
    for lang, r in report.items():
        print(f"{lang:6}{r['mentions']:>10}{r['exact_match_ratio']:>8.3f}{r['main_role_accuracy']:>10.3f}")
    if args.actors:
        report = {"roles": report, "actors": print_coverage(args.data, args.split, langs)}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0
