"""``propscope train genre --data DIR``: a softmax genre head (opinion, reporting, satire) on SemEval-2023 Task 3
subtask 1, all six languages.

Measures macro-F1 by 5-fold cross-validation on train (by document) and on the fr/ge/it/po dev splits with a model
fitted on train only; the shipped head is then fitted on train plus those dev splits.
"""

from __future__ import annotations

import logging
import sys

import numpy as np

from propscope.eval.genre import macro_f1, read_genre_split
from propscope.models.heads import Head, save_head
from propscope_training import doclabels as dl

log = logging.getLogger("propscope_training.genre")
LABELS = ["opinion", "reporting", "satire"]
C_GRID = (1.0, 4.0, 16.0)
VERSION = "genre-use-lr-2"


def genre_corpus(data_dir, backend: str, split: str, codes: tuple[str, ...]) -> dl.Corpus:
    docs = [d for code in codes for d in read_genre_split(data_dir, code, split)]
    return dl.Corpus(docs, dl.embed_cached(docs, backend, f"semeval2023-st1-{split}-{'-'.join(codes)}-{backend}"))


def labelled(corpus: dl.Corpus) -> tuple[np.ndarray, np.ndarray, list[str]]:
    keep = [i for i, d in enumerate(corpus.docs) if d.meta["gold"]["genre"] in LABELS]
    x = dl.doc_features([corpus.embeddings[i] for i in keep])
    y = np.array([LABELS.index(corpus.docs[i].meta["gold"]["genre"]) for i in keep])
    return x, y, [corpus.docs[i].language for i in keep]


def fit_softmax(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(x, y)
    w = np.zeros((x.shape[1], len(LABELS)), np.float32)
    b = np.full(len(LABELS), -30.0, np.float32)  # a class missing from training is never predicted
    for row, cls in enumerate(model.classes_):
        w[:, cls], b[cls] = model.coef_[row], model.intercept_[row]
    return w, b


def predict(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> list[str]:
    return [LABELS[i] for i in (x @ w + b).argmax(axis=1)]


def cv_macro_f1(x: np.ndarray, y: np.ndarray, c: float) -> list[str]:
    preds = [""] * len(y)
    for test in dl.folds(len(y)):
        train = np.setdiff1d(np.arange(len(y)), test)
        w, b = fit_softmax(x[train], y[train], c)
        for i, p in zip(test, predict(w, b, x[test]), strict=True):
            preds[i] = p
    return preds


def by_language(gold: list[str], preds: list[str], langs: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for lang in [*sorted(set(langs)), "all"]:
        idx = [i for i, lg in enumerate(langs) if lang in ("all", lg)]
        out[lang] = {
            "docs": len(idx),
            "macro_f1": round(macro_f1([gold[i] for i in idx], [preds[i] for i in idx], LABELS), 4),
        }
    return out


def main(argv: list[str]) -> int:
    args = dl.parse(argv, "train the genre head")
    x, y, langs = labelled(genre_corpus(args.data, args.backend, "train", dl.SEMEVAL2023_CODES))
    gold = [LABELS[i] for i in y]
    cv = {c: by_language(gold, cv_macro_f1(x, y, c), langs) for c in C_GRID}
    c = max(C_GRID, key=lambda k: cv[k]["all"]["macro_f1"])
    log.info("genre CV macro-F1 by C: %s; chosen C=%s: %s", {k: v["all"] for k, v in cv.items()}, c, cv[c])
    xd, yd, langs_d = labelled(genre_corpus(args.data, args.backend, "dev", dl.TUNING_DEV))
    w, b = fit_softmax(x, y, c)
    dev = by_language([LABELS[i] for i in yd], predict(w, b, xd), langs_d)
    log.info("genre dev (fr/ge/it/po, fitted on train): %s", dev)
    if args.no_export:
        return 0
    w, b = fit_softmax(np.vstack([x, xd]), np.concatenate([y, yd]), c)
    info = {
        "version": VERSION,
        "backend": args.backend,
        "features": "mean+max of sentence embeddings",
        "training_data": "SemEval-2023 Task 3 subtask 1: train (en fr ge it po ru) + dev (fr ge it po); research only",
        "C": c,
        "cv": {"method": "5-fold by document on train", "per_language": cv[c]},
        "dev": {"method": "fitted on train, scored on fr/ge/it/po dev", "per_language": dev},
    }
    save_head(Head(LABELS, w, b, kind="multiclass", info=info), args.out, "genre")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
