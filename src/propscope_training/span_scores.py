"""Scores used to choose the technique tagger's settings: SemEval-2020 SI F1 and SemEval-2023 paragraph F1.

Spans are ``(label, start, end)`` tuples per document. The project's own metrics live in ``propscope.eval.spans``;
these small versions keep model selection independent of it and follow the same official definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ``[start, end)`` ranges joined into one."""
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def si_counts(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> tuple[float, float, int, int]:
    """Partial-credit sums for one article: (precision credit, recall credit, n pred, n gold), spans merged first."""
    p, g = merge(pred), merge(gold)
    p_credit = sum(_overlap(s, t) / (s[1] - s[0]) for s in p for t in g)
    r_credit = sum(_overlap(s, t) / (t[1] - t[0]) for s in p for t in g)
    return p_credit, r_credit, len(p), len(g)


def si_f1(preds: Sequence[Sequence[tuple]], golds: Sequence[Sequence[tuple]]) -> dict[str, float]:
    """SemEval-2020 Task 11 SI: technique-agnostic, partial overlap credit, micro over all spans."""
    pc = rc = 0.0
    n_pred = n_gold = 0
    for pred, gold in zip(preds, golds, strict=True):
        a, b, c, d = si_counts([s[1:3] for s in pred], [s[1:3] for s in gold])
        pc, rc, n_pred, n_gold = pc + a, rc + b, n_pred + c, n_gold + d
    precision = pc / n_pred if n_pred else 0.0
    recall = rc / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def paragraph_labels(paragraphs: Sequence[tuple[int, int]], spans: Sequence[tuple]) -> list[set[str]]:
    """Techniques of the spans that overlap each paragraph."""
    return [{s[0] for s in spans if s[1] < end and s[2] > start} for start, end in paragraphs]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def paragraph_counts(pred: Sequence[set[str]], gold: Sequence[set[str]], label: str | None = None) -> tuple[int, ...]:
    """(tp, fp, fn) over paragraphs, for one label or all."""
    tp = fp = fn = 0
    for p, g in zip(pred, gold, strict=True):
        if label is not None:
            p, g = p & {label}, g & {label}
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    return tp, fp, fn


def paragraph_f1(pred: Sequence[set[str]], gold: Sequence[set[str]]) -> dict[str, float]:
    """SemEval-2023 subtask 3 micro-F1 over (paragraph, technique) pairs."""
    return prf(*paragraph_counts(pred, gold))


def flagged_share(text_len: int, spans: Sequence[tuple]) -> float:
    """Share of an article's characters inside any predicted span."""
    covered = sum(e - s for s, e in merge(sp[1:3] for sp in spans))
    return covered / text_len if text_len else 0.0
