"""Technique metrics: SemEval-2020 Task 11 (SI, TC, per-technique spans) and SemEval-2023 Task 3 subtask 3.

Spans are tuples ``(doc_id, start, end)`` or ``(doc_id, start, end, label)``, offsets end-exclusive.
Two spans overlap when they share at least one character; spans that merely touch do not.
docs/evaluation.md gives the formulas and where they differ from the official scorers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

Interval = tuple[int, int]
LabelledSpan = tuple[str, int, int, str]


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1 with the number of predicted and gold items they were computed on."""

    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ParagraphScores:
    """SemEval-2023 subtask 3: micro over all label decisions, macro over the label set, and per label."""

    micro: Scores
    macro_f1: float
    per_label: dict[str, Scores]

    def to_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.to_dict(),
            "macro_f1": self.macro_f1,
            "per_label": {k: v.to_dict() for k, v in self.per_label.items()},
        }


# --- spans -------------------------------------------------------------------------------------------------------


def merge_overlapping(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted intervals with every overlapping group joined into one; empty intervals dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def by_document(spans: Iterable[Sequence[Any]]) -> dict[str, list[Interval]]:
    """``(doc_id, start, end[, label])`` tuples -> merged intervals per document."""
    grouped: dict[str, list[Interval]] = defaultdict(list)
    for span in spans:
        grouped[str(span[0])].append((int(span[1]), int(span[2])))
    return {doc_id: merge_overlapping(items) for doc_id, items in grouped.items()}


def _overlap(a: Interval, b: Interval) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _overlap_sums(gold: Mapping[str, list[Interval]], pred: Mapping[str, list[Interval]]) -> tuple[float, float]:
    """(sum over s, t of |s∩t|/|s|, sum over s, t of |s∩t|/|t|) over all documents."""
    prec_sum = rec_sum = 0.0
    for doc_id, predicted in pred.items():
        for t in gold.get(doc_id, []):
            for s in predicted:
                inter = _overlap(s, t)
                if inter:
                    prec_sum += inter / (s[1] - s[0])
                    rec_sum += inter / (t[1] - t[0])
    return prec_sum, rec_sum


def _si_style(prec_sum: float, n_pred: int, rec_sum: float, n_gold: int) -> Scores:
    """As the official SI scorer: 0 for an empty denominator, F1 = 1 when both sides are empty."""
    p = prec_sum / n_pred if n_pred else 0.0
    r = rec_sum / n_gold if n_gold else 0.0
    if n_pred == 0 and n_gold == 0:
        return Scores(0.0, 0.0, 1.0, 0, 0)
    f1 = 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0
    return Scores(p, r, f1, n_pred, n_gold)


def _interval_scores(gold: Mapping[str, list[Interval]], pred: Mapping[str, list[Interval]]) -> Scores:
    prec_sum, rec_sum = _overlap_sums(gold, pred)
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(v) for v in gold.values())
    return _si_style(prec_sum, n_pred, rec_sum, n_gold)


def si_scores(gold: Iterable[Sequence[Any]], pred: Iterable[Sequence[Any]]) -> Scores:
    """SemEval-2020 SI: partial-overlap precision and recall, micro-averaged over all documents.

    Overlapping spans are merged per document first (gold and predictions alike; labels are ignored).
    P = Σ_s Σ_t |s∩t|/|s| / #predicted spans, R = Σ_t Σ_s |s∩t|/|t| / #gold spans.
    """
    return _interval_scores(by_document(gold), by_document(pred))


def _by_label(spans: Iterable[Sequence[Any]]) -> dict[str, list[Sequence[Any]]]:
    grouped: dict[str, list[Sequence[Any]]] = defaultdict(list)
    for span in spans:
        grouped[str(span[3])].append(span)
    return grouped


def technique_span_scores(
    gold: Iterable[Sequence[Any]], pred: Iterable[Sequence[Any]], labels: Iterable[str] | None = None
) -> dict[str, Scores]:
    """SI scores restricted to one technique at a time (spans of that technique merged per document).

    ``labels`` fixes the rows (default: every label seen in gold or predictions), in that order.
    """
    gold_by, pred_by = _by_label(gold), _by_label(pred)
    names = list(labels) if labels is not None else sorted(set(gold_by) | set(pred_by))
    return {name: si_scores(gold_by.get(name, []), pred_by.get(name, [])) for name in names}


def labelled_span_scores(gold: Iterable[Sequence[Any]], pred: Iterable[Sequence[Any]]) -> Scores:
    """Micro-average of the per-technique span scores: a predicted span earns credit only from gold spans
    of its own technique (the SemEval-2020 FLC scoring)."""
    gold_by, pred_by = _by_label(gold), _by_label(pred)
    prec_sum = rec_sum = 0.0
    n_pred = n_gold = 0
    for name in set(gold_by) | set(pred_by):
        g, p = by_document(gold_by.get(name, [])), by_document(pred_by.get(name, []))
        ps, rs = _overlap_sums(g, p)
        prec_sum, rec_sum = prec_sum + ps, rec_sum + rs
        n_pred += sum(len(v) for v in p.values())
        n_gold += sum(len(v) for v in g.values())
    return _si_style(prec_sum, n_pred, rec_sum, n_gold)


def tc_scores(gold: Iterable[Sequence[Any]], pred: Iterable[Sequence[Any]]) -> tuple[Scores, dict[str, Scores]]:
    """SemEval-2020 TC: micro P/R/F1 of labels predicted for the gold spans, and F1 per label.

    Both lists hold ``(doc_id, start, end, label)`` for the same spans (ValueError otherwise). Where one
    span carries several labels, predictions are matched to gold labels to maximise agreement, as the
    official scorer aligns them.
    """
    gold_at: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    pred_at: dict[tuple[str, int, int], Counter[str]] = defaultdict(Counter)
    for doc_id, start, end, label in gold:
        gold_at[(str(doc_id), int(start), int(end))][str(label)] += 1
    for doc_id, start, end, label in pred:
        pred_at[(str(doc_id), int(start), int(end))][str(label)] += 1
    _check_same_spans(gold_at, pred_at)
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for key, gold_labels in gold_at.items():
        tp.update(gold_labels & pred_at[key])
        n_gold.update(gold_labels)
        n_pred.update(pred_at[key])
    total = sum(n_gold.values())
    micro = _si_style(sum(tp.values()), total, sum(tp.values()), total)
    per_label = {
        name: _count_scores(tp[name], n_pred[name] - tp[name], n_gold[name] - tp[name], zero_division=0.0)
        for name in sorted(set(n_gold) | set(n_pred))
    }
    return micro, per_label


def _check_same_spans(gold_at: Mapping[Any, Counter[str]], pred_at: Mapping[Any, Counter[str]]) -> None:
    for key in set(gold_at) | set(pred_at):
        g, p = gold_at.get(key, Counter()), pred_at.get(key, Counter())
        if g.total() != p.total():
            doc_id, start, end = key
            counts = f"{p.total()} predicted vs {g.total()} gold"
            raise ValueError(f"TC needs one prediction per gold span: {doc_id} {start}-{end} has {counts}")


# --- paragraphs --------------------------------------------------------------------------------------------------


def spans_to_paragraphs(spans: Iterable[Sequence[Any]], paragraphs: Sequence[Interval]) -> list[list[str]]:
    """For each paragraph ``(start, end)``: the sorted techniques of every ``(start, end, label)`` span
    overlapping it."""
    found: list[set[str]] = [set() for _ in paragraphs]
    for start, end, label in spans:
        for i, para in enumerate(paragraphs):
            if _overlap((int(start), int(end)), para):
                found[i].add(str(label))
    return [sorted(labels) for labels in found]


def _count_scores(tp: int, fp: int, fn: int, zero_division: float = 1.0) -> Scores:
    """sklearn's scores from counts. The official SemEval-2023 scorer passes zero_division=1, so a label
    absent from both gold and predictions has F1 = 1 (and counts in the macro average)."""
    p = tp / (tp + fp) if tp + fp else zero_division
    r = tp / (tp + fn) if tp + fn else zero_division
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else zero_division
    return Scores(p, r, f1, tp + fp, tp + fn)


def paragraph_scores(
    gold: Mapping[Any, Iterable[str]], pred: Mapping[Any, Iterable[str]], labels: Iterable[str] | None = None
) -> ParagraphScores:
    """SemEval-2023 subtask 3 on ``{(doc_id, line): techniques}`` maps.

    Every gold paragraph is scored; a paragraph missing from ``pred`` counts as predicted empty, and a
    prediction for a paragraph not in ``gold`` is an error. ``labels`` is the official label set (macro-F1
    averages over all of it; gold labels outside it are ignored, predicted ones are an error). Default:
    every label seen in gold or predictions.
    """
    extra = set(pred) - set(gold)
    if extra:
        raise ValueError(f"predictions for paragraphs not in gold: {sorted(map(str, extra))[:3]}")
    label_set = list(labels) if labels is not None else _seen_labels(gold, pred)
    allowed = set(label_set)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for key, gold_labels in gold.items():
        g = set(gold_labels) & allowed
        p = set(pred.get(key, ()))
        unknown = p - allowed
        if unknown:
            raise ValueError(f"{key}: predicted labels outside the label set: {sorted(unknown)}")
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    per_label = {name: _count_scores(tp[name], fp[name], fn[name]) for name in label_set}
    micro = _count_scores(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    macro = sum(s.f1 for s in per_label.values()) / len(per_label) if per_label else 1.0
    return ParagraphScores(micro, macro, per_label)


def _seen_labels(gold: Mapping[Any, Iterable[str]], pred: Mapping[Any, Iterable[str]]) -> list[str]:
    seen: set[str] = set()
    for mapping in (gold, pred):
        for values in mapping.values():
            seen.update(values)
    return sorted(seen)
