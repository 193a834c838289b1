"""Train the entity-role heads on SemEval-2025 Task 10 subtask 1 (all five languages).

    propscope train roles --data ../shared/data --out src/propscope/models/roles --folds 5 --seed 13

Features: the multilingual sentence embedding of the sentence holding the mention, the document's mean sentence
embedding, and the embedding of the name alone (the embedder the doc-label heads share). Heads: multinomial
logistic regression for the main role and for the fine role. Settings are chosen by cross-validation over
documents; the shipped heads are then fitted on all of train.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propscope.models.roles import RoleHeads, unit_index
from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS, fine_roles_of

LANGS = ("EN", "RU", "BG", "PT", "HI")


@dataclass
class Examples:
    doc_ids: list[str]
    langs: list[str]
    names: list[str]
    features: np.ndarray  # (n, 3 * dim) without the name part until ``add_names``
    main: np.ndarray  # (n,) index into MAIN_ROLE_IDS
    fine: list[list[str]]


def load_examples(data_dir: Path, cache: Path) -> Examples:
    """Every gold mention with its sentence and document vectors (shared cache with the doc-label heads)."""
    from propscope_training.doclabels import semeval2025

    corpus = semeval2025(data_dir, "use")
    rows, parts = [], []
    for doc, emb in zip(corpus.docs, corpus.embeddings, strict=True):
        doc_vector = emb.vectors.mean(axis=0)
        fines = doc.meta["gold"]["entity_fine_roles"]
        for span, fine in zip(doc.spans.get("gold:entities", []), fines, strict=True):
            fine = [f for f in fine if f in FINE_ROLE_IDS] or [fine_roles_of(span.label)[0]]
            rows.append((doc.id, doc.language, doc.text[span.start : span.end], span.label, fine))
            parts.append(np.concatenate([emb.vectors[unit_index(emb.units, span.start)], doc_vector]))
    names = [r[2] for r in rows]
    name_vectors = embed(names, cache / "names-use.npy")
    return Examples(
        doc_ids=[r[0] for r in rows],
        langs=[(r[1] or "").upper() for r in rows],
        names=names,
        features=np.hstack([np.stack(parts), name_vectors]).astype(np.float32),
        main=np.array([MAIN_ROLE_IDS.index(r[3]) for r in rows]),
        fine=[r[4] for r in rows],
    )


def embed(texts: list[str], cache: Path) -> np.ndarray:
    """Name vectors, cached on disk by count (the corpus is fixed)."""
    if cache.exists():
        arr = np.load(cache)
        if len(arr) == len(texts):
            return arr
    from propscope.models.embedder import embed_texts

    arr = np.vstack([embed_texts(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, arr)
    return arr


def fit(x: np.ndarray, main: np.ndarray, fine_first: np.ndarray, c: float, seed: int) -> RoleHeads:
    from sklearn.linear_model import LogisticRegression

    def head(y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y)
        w = np.zeros((x.shape[1], n), dtype=np.float32)
        b = np.full(n, -30.0, dtype=np.float32)  # a class never seen in training is never predicted
        w[:, model.classes_] = model.coef_.T
        b[model.classes_] = model.intercept_
        return w, b

    w_main, b_main = head(main, len(MAIN_ROLE_IDS))
    w_fine, b_fine = head(fine_first, len(FINE_ROLE_IDS))
    return RoleHeads(w_main, b_main, w_fine, b_fine, second_threshold=1.0, version="")


def scores(pred_main: list[str], pred_fine: list[list[str]], ex: Examples, idx: np.ndarray) -> dict[str, float]:
    gold_main = [MAIN_ROLE_IDS[ex.main[i]] for i in idx]
    gold_fine = [set(ex.fine[i]) for i in idx]
    acc = float(np.mean([p == g for p, g in zip(pred_main, gold_main, strict=True)]))
    emr = float(np.mean([set(p) == g for p, g in zip(pred_fine, gold_fine, strict=True)]))
    return {"main_accuracy": acc, "exact_match_ratio": emr, "n": len(idx)}


def cross_validate(x: np.ndarray, ex: Examples, c: float, second: float, folds: int, seed: int) -> dict:
    from sklearn.model_selection import GroupKFold

    fine_first = np.array([FINE_ROLE_IDS.index(f[0]) for f in ex.fine])
    preds: dict[int, tuple[str, list[str]]] = {}
    for train, test in GroupKFold(n_splits=folds).split(x, groups=ex.doc_ids):
        heads = fit(x[train], ex.main[train], fine_first[train], c, seed)
        heads.second_threshold = second
        for i, p in zip(test, heads.predict(x[test]), strict=True):
            preds[int(i)] = (p.main, p.fine)
    report = {}
    for lang in ("ALL", *LANGS):
        idx = np.array([i for i in range(len(ex.langs)) if lang in ("ALL", ex.langs[i])])
        report[lang] = scores([preds[i][0] for i in idx], [preds[i][1] for i in idx], ex, idx)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="propscope train roles", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="../shared/data", type=Path)
    p.add_argument("--out", default=Path("src/propscope/models/roles"), type=Path)
    p.add_argument("--cache", default=Path("runs/roles"), type=Path, help="where embeddings are cached")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=13)
    args = p.parse_args(argv)
    if not (args.data / "semeval2025-task10").is_dir():
        print(f"propscope: error: no semeval2025-task10 folder in {args.data}", file=sys.stderr)
        return 2
    ex = load_examples(args.data, args.cache)
    print(f"{len(ex.names)} mentions in {len(set(ex.doc_ids))} documents", file=sys.stderr)
    x = ex.features
    grid = [(c, s) for c in (0.3, 1.0) for s in (0.4, 1.1)]
    results = {f"C={c},second={s}": cross_validate(x, ex, c, s, args.folds, args.seed) for c, s in grid}
    best_key = max(results, key=lambda k: results[k]["ALL"]["exact_match_ratio"])
    print(json.dumps({"best": best_key, "cv": results[best_key]}, indent=2))
    c, s = (float(v.split("=")[1]) for v in best_key.split(","))
    fine_first = np.array([FINE_ROLE_IDS.index(f[0]) for f in ex.fine])
    heads = fit(x, ex.main, fine_first, c, args.seed)
    save(heads, args.out, second=s, cv=results[best_key], setting=best_key, argv=argv or sys.argv[1:])
    return 0


def save(heads: RoleHeads, out: Path, second: float, cv: dict, setting: str, argv: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out / "heads.npz", w_main=heads.w_main, b_main=heads.b_main, w_fine=heads.w_fine, b_fine=heads.b_fine
    )
    config = {
        "version": "roles-1",
        "main_roles": list(MAIN_ROLE_IDS),
        "fine_roles": list(FINE_ROLE_IDS),
        "second_threshold": second,
        "setting": setting,
        "cross_validation": cv,
        "command": "propscope train roles " + " ".join(argv),
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
