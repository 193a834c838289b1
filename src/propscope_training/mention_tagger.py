"""Train the actor-mention tagger (``propscope.models.mention_tagger``) on SemEval-2025 Task 10 subtask 1.

    propscope train mention_tagger --data ../shared/data --langs HI --out src/propscope/models/mentions

Each word of an article is O, B (first word of an annotated mention) or I (a later one). The setting (C, threshold)
is chosen by 5-fold cross-validation over documents on what the entities analyzer does with the mentions: the
share of annotated mentions that the article's actors (merged and ranked as at run time, eight at most) cover.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from propscope.analyzers.mentions import rank_actors, tagged_mentions
from propscope.eval.roles import actor_coverage
from propscope.models.lexical import save_lexical
from propscope.models.mention_tagger import BEGIN, INSIDE, OUTSIDE, Word, decode, text_features
from propscope.readers.research import read_semeval2025
from propscope_training.lexical import fit_lexical

VERSION = "mentions-2"
C_GRID = (1.0, 3.0, 10.0)
THRESHOLD_GRID = (0.01, 0.02, 0.03, 0.05, 0.1)
MAX_TERMS = 50_000
FOLDS = 5


def word_labels(ws: list[Word], spans: list[tuple[int, int]]) -> np.ndarray:
    """O / B / I of each word: B for the first word of each annotated span, I for its later words."""
    labels = np.full(len(ws), OUTSIDE, dtype=np.int64)
    for start, end in spans:
        inside = [i for i, w in enumerate(ws) if w.start < end and start < w.end]
        for k, i in enumerate(inside):
            if labels[i] == OUTSIDE:  # a word in two spans keeps the first label
                labels[i] = BEGIN if k == 0 else INSIDE
    return labels


def load(data: Path, lang: str) -> list[tuple[str, list[tuple[int, int]], list[Word], list[list[str]], np.ndarray]]:
    """(text, annotated spans, words, word features, labels) of each annotated article."""
    out = []
    for doc in read_semeval2025(data, lang, "train"):
        spans = [(s.start, s.end) for s in doc.spans.get("gold:entities", [])]
        if spans:
            ws, feats = text_features(doc.text)
            out.append((doc.text, spans, ws, feats, word_labels(ws, spans)))
    return out


def fit(articles: list, c: float):
    rows = [f for a in articles for f in a[3]]
    labels = np.concatenate([a[4] for a in articles])
    return fit_lexical(rows, labels, c, classes=3, max_terms=MAX_TERMS)


def held_out_probabilities(articles: list, c: float) -> list[np.ndarray]:
    """Per article, (words, 3) probabilities from a tagger fitted on the other folds (articles dealt round-robin)."""
    out: list[np.ndarray] = [np.zeros((0, 3))] * len(articles)
    for fold in range(FOLDS):
        test = [i for i in range(len(articles)) if i % FOLDS == fold]
        head = fit([a for i, a in enumerate(articles) if i % FOLDS != fold], c)
        for i in test:
            out[i] = head.score_rows(articles[i][3]) if articles[i][3] else np.zeros((0, 3))
    return out


def coverage(articles: list, probs: list[np.ndarray], threshold: float, language: str) -> dict:
    """``actor_coverage`` of the actors ranked from the mentions these probabilities give."""
    mentions = {
        a[0]: tagged_mentions(a[0], decode(a[0], a[2], p, threshold)) for a, p in zip(articles, probs, strict=True)
    }

    def finder(text: str, _language: str | None, limit: int):
        return rank_actors(text, mentions[text], limit)

    return actor_coverage(((a[0], language, a[1]) for a in articles), finder=finder)


def choose(articles: list, language: str) -> tuple[dict, list[dict]]:
    """The best setting by covered share (then the share of actors on an annotated mention), with every row."""
    rows = []
    for c in C_GRID:
        probs = held_out_probabilities(articles, c)
        for t in THRESHOLD_GRID:
            row = {"C": c, "threshold": t, **coverage(articles, probs, t, language)}
            print(json.dumps(row), flush=True)
            rows.append(row)
    best = max(rows, key=lambda r: (r["covered"], r["actors_on_annotated"]))
    return best, rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="propscope train mention_tagger", description=__doc__)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--langs", default="HI", help="comma-separated SemEval-2025 languages, one tagger each")
    p.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "propscope" / "models" / "mentions")
    args = p.parse_args(argv)
    if not (args.data / "semeval2025-task10").is_dir():
        print(f"error: {args.data / 'semeval2025-task10'}: SemEval-2025 Task 10 data not found", file=sys.stderr)
        return 2
    config = {"version": VERSION, "trained": date.today().isoformat(), "languages": {}}
    for lang in args.langs.upper().split(","):
        articles = load(args.data, lang)
        best, rows = choose(articles, lang.lower())
        save_lexical(fit(articles, best["C"]), args.out / f"{lang.lower()}.npz")
        config["languages"][lang.lower()] = {
            "file": f"{lang.lower()}.npz",
            "threshold": best["threshold"],
            "C": best["C"],
            "cv": {"method": f"{FOLDS}-fold by article, actors ranked as at run time, eight at most", "rows": rows},
        }
        print(f"{lang}: C {best['C']}, threshold {best['threshold']}: covered {best['covered']}", flush=True)
    (args.out / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
