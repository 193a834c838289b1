"""Shared training code for the heads on frozen sentence embeddings (narratives, genre, frames, paragraphs).

Corpora are embedded once per backend and cached under ``runs/doclabels/`` so reruns are cheap. Heads are
scikit-learn logistic regressions, measured by 5-fold cross-validation by document, with thresholds tuned on the
out-of-fold scores, and exported as numpy weights (``propscope.models.heads``) so the runtime needs only numpy.

``python -m propscope_training.doclabels embed --data ../shared/data --backend use`` fills the cache;
``python -m propscope_training.doclabels all --data ../shared/data`` trains and exports every head.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propscope.models.embedder import DocEmbedding, Embedder
from propscope.readers import research
from propscope.schema import Document

log = logging.getLogger("propscope_training.doclabels")

CACHE_DIR = Path("runs/doclabels")
HEADS_DIR = Path(__file__).resolve().parents[1] / "propscope" / "models" / "doclabels"
SEMEVAL2023_CODES = ("en", "fr", "ge", "it", "po", "ru")
TUNING_DEV = ("fr", "ge", "it", "po")  # en and ru dev are held back as a test set
SEED = 13


@dataclass(slots=True)
class Corpus:
    docs: list[Document]
    embeddings: list[DocEmbedding]


class DataMissing(SystemExit):
    """Raised with a one-line message when --data does not hold the corpora."""


def check_data(data_dir: Path) -> Path:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataMissing(f"error: data folder not found: {data_dir} (pass --data DIR, the shared data folder)")
    return data_dir


def semeval2025(data_dir: Path, backend: str) -> Corpus:
    docs = [d for lang in research.SEMEVAL2025_LANGS for d in research.read_semeval2025(data_dir, lang, "train")]
    return Corpus(docs, embed_cached(docs, backend, f"semeval2025-train-{backend}"))


def semeval2023(data_dir: Path, backend: str, split: str, codes: Sequence[str]) -> Corpus:
    docs = [d for code in codes for d in research.read_semeval2023(data_dir, code, split)]
    return Corpus(docs, embed_cached(docs, backend, f"semeval2023-{split}-{'-'.join(codes)}-{backend}"))


def embed_cached(docs: list[Document], backend: str, name: str, cache_dir: Path = CACHE_DIR) -> list[DocEmbedding]:
    """Embeddings of ``docs``, read from ``cache_dir/name.npz`` when it holds exactly these texts."""
    path = cache_dir / f"{name}.npz"
    digest = _texts_digest(docs)
    if path.exists():
        with np.load(path) as z:
            if str(z["digest"]) == digest:
                return _unpack(z["units"], z["counts"], z["vectors"])
    embedder = Embedder(backend, threads=1)
    out: list[DocEmbedding] = []
    start = time.time()
    for i in range(0, len(docs), 16):
        out.extend(embedder.embed_many([d.text for d in docs[i : i + 16]]))
        log.info("%s: embedded %d/%d docs in %.0fs", name, len(out), len(docs), time.time() - start)
    cache_dir.mkdir(parents=True, exist_ok=True)
    units = np.array([u for e in out for u in e.units], dtype=np.int64).reshape(-1, 2)
    counts = np.array([len(e.units) for e in out], dtype=np.int64)
    vectors = np.concatenate([e.vectors for e in out]) if out else np.zeros((0, embedder.encoder.dim), np.float32)
    np.savez(path, digest=digest, units=units, counts=counts, vectors=vectors)
    return out


def _texts_digest(docs: list[Document]) -> str:
    h = hashlib.sha1()
    for d in docs:
        h.update(d.text.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _unpack(units: np.ndarray, counts: np.ndarray, vectors: np.ndarray) -> list[DocEmbedding]:
    out, row = [], 0
    for n in counts:
        n = int(n)
        out.append(DocEmbedding([(int(s), int(e)) for s, e in units[row : row + n]], vectors[row : row + n]))
        row += n
    return out


def doc_features(embeddings: list[DocEmbedding]) -> np.ndarray:
    return np.stack([e.pooled() for e in embeddings])


# --- cross-validation and thresholds --------------------------------------------------------------------------


def fit_ovr(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic regressions: weights (d, k) and biases (k,). A label with one class gets a constant."""
    from sklearn.linear_model import LogisticRegression

    w = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    b = np.full(y.shape[1], -10.0, dtype=np.float32)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            model.fit(x, y[:, j])
            w[:, j], b[j] = model.coef_[0], model.intercept_[0]
        elif y[:, j].all():
            b[j] = 10.0
    return w, b


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def folds(n: int, k: int = 5, seed: int = SEED) -> list[np.ndarray]:
    """Document indices of ``k`` folds, shuffled once."""
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def oof_scores(x: np.ndarray, y: np.ndarray, fit: Callable[[np.ndarray, np.ndarray], Callable], k: int = 5):
    """Out-of-fold scores: each document scored by a model that never saw it."""
    scores = np.zeros(y.shape, dtype=np.float32)
    for test in folds(len(x), k):
        train = np.setdiff1d(np.arange(len(x)), test)
        predict = fit(x[train], y[train])
        scores[test] = predict(x[test])
    return scores


def ovr_fitter(c: float) -> Callable[[np.ndarray, np.ndarray], Callable]:
    def fit(x: np.ndarray, y: np.ndarray) -> Callable:
        w, b = fit_ovr(x, y, c)
        return lambda z: sigmoid(z @ w + b)

    return fit


def best_threshold(metric: Callable[[np.ndarray], float], grid: Sequence[float]) -> tuple[float, float]:
    """The grid value with the highest metric, and that metric."""
    results = [(metric(np.float32(t)), float(t)) for t in grid]
    value, threshold = max(results)
    return threshold, value


THRESHOLD_GRID = np.round(np.arange(0.2, 0.95, 0.025), 3)
FINE_GRID = np.round(np.arange(0.1, 0.99, 0.025), 3)  # per-label: rare labels were measured to want > 0.925


def per_label_thresholds(scores: np.ndarray, y: np.ndarray, start: float, passes: int = 2) -> np.ndarray:
    """Per-label thresholds for micro-F1 by coordinate ascent from one global ``start``: each label in turn takes
    the grid value that maximises micro-F1 with the others fixed. Micro-F1 only needs the label's true and false
    positive counts, so each step is a table lookup."""
    grid = FINE_GRID
    on = scores[None, :, :] >= grid[:, None, None]  # (g, n, k)
    tp = (on & (y[None] == 1)).sum(axis=1)  # (g, k)
    fp = (on & (y[None] == 0)).sum(axis=1)
    positives = int(y.sum())
    choice = np.full(y.shape[1], int(np.abs(grid - start).argmin()))
    for _ in range(passes):
        for j in range(y.shape[1]):
            cols = np.arange(y.shape[1]) != j
            tp_rest = tp[choice[cols], np.flatnonzero(cols)].sum()
            fp_rest = fp[choice[cols], np.flatnonzero(cols)].sum()
            total_tp, total_fp = tp_rest + tp[:, j], fp_rest + fp[:, j]
            f1 = 2 * total_tp / np.maximum(total_tp + total_fp + positives, 1)
            choice[j] = int(f1.argmax())
    return grid[choice].astype(np.float32)


# --- command line --------------------------------------------------------------------------------------------


def parse(argv: list[str], description: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", type=Path, default=Path("../shared/data"), help="shared data folder")
    p.add_argument("--backend", default="use", choices=("use", "e5"), help="sentence embedding backend")
    p.add_argument("--out", type=Path, default=HEADS_DIR, help="folder for the exported heads")
    p.add_argument("--no-export", action="store_true", help="only measure (cross-validation), write nothing")
    args = p.parse_args(argv)
    check_data(args.data)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    single_threaded()
    return args


def single_threaded() -> None:
    """One BLAS/OpenMP thread: on 2 cores shared with other jobs, more threads spin against each other and were
    measured 100x slower (one scikit-learn fit: 19 s with the default threads, 0.14 s with one)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def embed_all(data_dir: Path, backend: str) -> None:
    semeval2025(data_dir, backend)
    semeval2023(data_dir, backend, "train", SEMEVAL2023_CODES)
    semeval2023(data_dir, backend, "dev", TUNING_DEV)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("embed", "all"):
        print(
            "usage: python -m propscope_training.doclabels embed|all [--data DIR] [--backend use|e5]", file=sys.stderr
        )
        return 2
    command, args = argv[0], parse(argv[1:], "embed the corpora, or train every doc-label head")
    if command == "embed":
        embed_all(args.data, args.backend)
        return 0
    from propscope_training import frames, genre, narratives, paragraph_techniques

    for module in (narratives, genre, frames, paragraph_techniques):
        module.main(argv[1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
