"""Choosing the technique tagger's decoding settings on held-out probabilities (numpy only, no torch).

Span thresholds per technique are chosen for SemEval-2020 SI F1 plus the paragraph F1 the spans imply; paragraph
thresholds per technique, on the best token of each paragraph, for SemEval-2023 subtask-3 micro-F1. Both by
coordinate ascent over a grid.
"""

from __future__ import annotations

import numpy as np

from propscope.models.tagger import decode, paragraph_scores
from propscope.schema import Document
from propscope_training import span_scores as sc

GRID = [round(x, 2) for x in np.arange(0.1, 0.951, 0.05)]
PARAGRAPH_GRID = [round(x, 3) for x in np.arange(0.05, 0.976, 0.025)]


def gold_spans(doc: Document) -> list[tuple[str, int, int]]:
    return [(s.label, s.start, s.end) for s in doc.spans.get("gold:techniques", [])]


class Evaluator:
    """Held-out probabilities of many articles with their gold, and cached decodes per (label, threshold)."""

    def __init__(
        self, docs: list[Document], encs, probs: list[np.ndarray], labels: list[str], gap: int, grow: float = 1.0
    ) -> None:
        self.docs, self.labels, self.gap, self.grow = docs, labels, gap, grow
        self.gold = [gold_spans(d) for d in docs]
        self.paras = [[(p["start"], p["end"]) for p in d.meta["gold"]["paragraphs"]] for d in docs]
        self.gold_paras = [[set(p["techniques"]) for p in d.meta["gold"]["paragraphs"]] for d in docs]
        self.gold_cum = [_cum_mask(len(d.text), [g[1:] for g in gs]) for d, gs in zip(docs, self.gold, strict=True)]
        self.cache: dict[tuple[int, float], list[list[tuple]]] = {}
        self.counts: dict[tuple[int, float], tuple[int, int, int]] = {}
        self.encs, self.probs = encs, probs

    def spans(self, j: int, thr: float) -> list[list[tuple]]:
        key = (j, thr)
        if key not in self.cache:
            thresholds = [2.0] * len(self.labels)
            thresholds[j] = thr
            self.cache[key] = [
                decode(d.text, e.offsets, p, self.labels, thresholds, self.gap, self.grow)
                for d, e, p in zip(self.docs, self.encs, self.probs, strict=True)
            ]
            tp = fp = fn = 0
            for spans, paras, gold in zip(self.cache[key], self.paras, self.gold_paras, strict=True):
                a, b, c = sc.paragraph_counts(sc.paragraph_labels(paras, spans), gold, self.labels[j])
                tp, fp, fn = tp + a, fp + b, fn + c
            self.counts[key] = (tp, fp, fn)
        return self.cache[key]

    def score(self, thresholds: list[float]) -> dict[str, float]:
        per_label = [self.spans(j, t) for j, t in enumerate(thresholds)]
        counts = np.sum([self.counts[(j, t)] for j, t in enumerate(thresholds)], axis=0)
        para = sc.prf(*[int(c) for c in counts])
        pc = rc = 0.0
        n_pred = n_gold = 0
        shares = []
        for i, d in enumerate(self.docs):
            pred = sc.merge(s[1:3] for lab in per_label for s in lab[i])
            gold = sc.merge(g[1:] for g in self.gold[i])
            pred_cum = _cum_mask(len(d.text), pred)
            pc += sum((self.gold_cum[i][e] - self.gold_cum[i][s]) / (e - s) for s, e in pred)
            rc += sum((pred_cum[e] - pred_cum[s]) / (e - s) for s, e in gold)
            n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
            shares.append(pred_cum[-1] / max(1, len(d.text)))
        p, r = (pc / n_pred if n_pred else 0.0), (rc / n_gold if n_gold else 0.0)
        return {
            "si_precision": p,
            "si_recall": r,
            "si_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "para_precision": para["precision"],
            "para_recall": para["recall"],
            "para_micro_f1": para["f1"],
            "mean_flagged_share": float(np.mean(shares)),
            "max_flagged_share": float(np.max(shares)),
        }


def _cum_mask(n: int, ranges) -> np.ndarray:
    mask = np.zeros(n + 1, dtype=np.int64)
    for s, e in ranges:
        mask[s + 1 : e + 1] = 1
    return np.cumsum(mask)


def objective(m: dict[str, float]) -> float:
    """SI F1 plus the paragraph F1 of the spans themselves (this keeps spurious spans out of unlabelled
    paragraphs: on one held-out fold, SI F1 alone chose looser thresholds and scored lower SI F1 across its halves);
    flagging most of an article is never right, so it is penalised."""
    return m["si_f1"] + m["para_micro_f1"] - max(0.0, m["max_flagged_share"] - 0.4)


def tune(ev: Evaluator, passes: int = 2) -> list[float]:
    """Coordinate ascent over per-technique thresholds, most frequent technique first."""
    thresholds = [0.5] * len(ev.labels)
    for _ in range(passes):
        for j in range(len(ev.labels)):
            best = max(GRID, key=lambda t: (objective(ev.score(thresholds[:j] + [t] + thresholds[j + 1 :])), t))
            thresholds[j] = best
    return thresholds


class ParagraphScores:
    """Best token probability of each label in each gold paragraph of many articles, with the gold labels."""

    def __init__(self, docs: list[Document], encs, probs: list[np.ndarray], labels: list[str]) -> None:
        index = {label: j for j, label in enumerate(labels)}
        xs, ys = [np.zeros((0, len(labels)), dtype=np.float32)], [np.zeros((0, len(labels)), dtype=bool)]
        self.unknown = 0  # gold labels the model does not have: always missed
        for d, e, p in zip(docs, encs, probs, strict=True):
            paras = d.meta["gold"]["paragraphs"]
            xs.append(paragraph_scores(e.offsets, p, [(q["start"], q["end"]) for q in paras]))
            y = np.zeros((len(paras), len(labels)), dtype=bool)
            for row, q in enumerate(paras):
                for t in q["techniques"]:
                    if t in index:
                        y[row, index[t]] = True
                    else:
                        self.unknown += 1
            ys.append(y)
        self.x, self.y = np.concatenate(xs), np.concatenate(ys)
        self.labels = labels

    def label_counts(self, j: int, thresholds: list[float]) -> np.ndarray:
        """(len(thresholds), 3): tp, fp, fn of label ``j`` at each threshold."""
        hit = self.x[:, j][None, :] >= np.asarray(thresholds, dtype=np.float32)[:, None]
        gold = self.y[:, j][None, :]
        return np.stack([(hit & gold).sum(1), (hit & ~gold).sum(1), (~hit & gold).sum(1)], axis=1)

    def score(self, thresholds: list[float]) -> dict[str, float]:
        counts = sum(self.label_counts(j, [t])[0] for j, t in enumerate(thresholds))
        tp, fp, fn = (int(c) for c in counts)
        m = sc.prf(tp, fp, fn + self.unknown)
        return {"para_precision": m["precision"], "para_recall": m["recall"], "para_micro_f1": m["f1"]}


def tune_paragraphs(ps: ParagraphScores, passes: int = 2) -> list[float]:
    """Per-label paragraph thresholds by coordinate ascent on micro-F1 (each label's counts at every grid point
    are computed once, so a pass is cheap)."""
    table = [ps.label_counts(j, PARAGRAPH_GRID) for j in range(len(ps.labels))]
    choice = [PARAGRAPH_GRID.index(0.5)] * len(ps.labels)
    for _ in range(passes):
        for j in range(len(ps.labels)):
            others = sum(table[k][choice[k]] for k in range(len(ps.labels)) if k != j)
            totals = table[j] + others
            tp, fp, fn = totals[:, 0], totals[:, 1], totals[:, 2] + ps.unknown
            f1 = 2 * tp / np.maximum(1, 2 * tp + fp + fn)
            choice[j] = int(np.flatnonzero(f1 == f1.max())[-1])  # ties: the higher threshold
    return [PARAGRAPH_GRID[c] for c in choice]
