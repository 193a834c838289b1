"""Narratives and subnarratives of the SemEval-2025 taxonomy, from heads on pooled sentence embeddings blended
with word-count heads.

Each predicted narrative carries evidence: the sentences that the same heads score highest for it, leaving out
credit lines (byline, source line, channel call, link), which argue nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from propscope.analyzers.base import Analyzer
from propscope.analyzers.source_markers import credit_spans
from propscope.models.embedder import DocEmbedding, shared_embedder
from propscope.models.heads import Head, load_blended
from propscope.schema import Analysis, Document, Narrative, NarrativeScore, Offsets
from propscope.taxonomy.narratives import OTHER, domain_of, parent_of

EVIDENCE_SENTENCES = 2
RANKED = 5  # narratives listed in ``narrative_scores``


@dataclass(slots=True)
class Decision:
    narrative: str
    subnarrative: str | None  # full label ``<narrative>: <sub>``; None when no specific one applies
    score: float


def decode(
    narr: Head,
    narr_scores: np.ndarray,
    sub: Head,
    sub_scores: np.ndarray,
    single_domain: bool = True,
    thresholds: tuple[float, float] | None = None,
    relative: float = 0.0,
) -> list[Decision]:
    """Narratives whose score reaches their threshold, each with its subnarratives that do too.

    ``thresholds`` (narrative, subnarrative) replaces the heads' own, e.g. with those tuned for one language.
    ``relative`` also drops narratives scoring below that fraction of the best one (measured to help where
    articles carry few narratives).

    With ``single_domain`` only narratives of the best-scoring domain are kept: an article in the data is about the
    war or about climate, and a mixed answer was measured to be wrong more often than right.
    """
    narr_t, sub_t = (narr.thresholds, sub.thresholds) if thresholds is None else thresholds
    sub_t = np.broadcast_to(sub_t, sub_scores.shape)
    needed = needed_scores(narr_scores, narr_t, relative)
    on = [i for i in np.argsort(-narr_scores) if narr_scores[i] >= needed[i]]
    if single_domain and on:
        top = domain_of(narr.labels[on[0]])
        on = [i for i in on if domain_of(narr.labels[i]) == top]
    decisions = []
    for i in on:
        label = narr.labels[i]
        children = [
            j
            for j in np.argsort(-sub_scores)
            if sub_scores[j] >= sub_t[j] and _parent(sub.labels[j]) == label and not _is_other(sub.labels[j])
        ]
        if not children:
            decisions.append(Decision(label, None, float(narr_scores[i])))
        decisions.extend(Decision(label, sub.labels[j], float(sub_scores[j])) for j in children)
    return decisions


def needed_scores(scores: np.ndarray, thresholds: np.ndarray | float, relative: float = 0.0) -> np.ndarray:
    """The score each narrative needs in this article: its threshold, or ``relative`` x the best score if higher."""
    floor = relative * float(scores.max()) if len(scores) else 0.0
    return np.maximum(np.broadcast_to(thresholds, scores.shape), floor)


def ranked(labels: list[str], scores: np.ndarray, needed: np.ndarray, k: int = RANKED) -> list[NarrativeScore]:
    """The ``k`` best-scoring narratives with the score each needed, kept or not: where none is kept, this is what
    came closest (and with every article's list, counts can be redone at another threshold)."""
    best = np.argsort(-scores, kind="stable")[:k]
    return [NarrativeScore(labels[i], round(float(scores[i]), 4), round(float(needed[i]), 4)) for i in best]


def _parent(label: str) -> str | None:
    try:
        return parent_of(label)
    except ValueError:
        return None


def _is_other(label: str) -> bool:
    return label.endswith(": " + OTHER)


def semeval_labels(decisions: list[Decision]) -> tuple[list[str], list[str]]:
    """Narrative and subnarrative labels as the task writes them, ``Other`` when none applies."""
    narratives = list(dict.fromkeys(d.narrative for d in decisions))
    subs = [d.subnarrative or f"{d.narrative}: {OTHER}" for d in decisions]
    return narratives or [OTHER], list(dict.fromkeys(subs)) or [OTHER]


def evidence(
    unit_scores: np.ndarray,
    column: int,
    emb: DocEmbedding,
    k: int = EVIDENCE_SENTENCES,
    skip: list[tuple[int, int]] | None = None,
) -> list[Offsets]:
    """The ``k`` units scored highest for label ``column`` (rows of ``BlendedHead.unit_scores``), in text order;
    units that overlap a span of ``skip`` only when nothing else is left."""
    if not emb.units:
        return []
    order = np.argsort(-unit_scores[:, column], kind="stable")
    kept = [i for i in order if not any(s < emb.units[i][1] and emb.units[i][0] < e for s, e in skip or [])]
    return [Offsets(*emb.units[i]) for i in sorted((kept or list(order))[:k])]


class NarrativesAnalyzer(Analyzer):
    name = "narratives"
    adds: ClassVar[tuple[str, ...]] = ("narratives", "narrative_scores")

    def __init__(self, model_dir: str | None = None, single_domain: bool | None = None) -> None:
        self.narr = load_blended("narratives", model_dir)
        self.sub = load_blended("subnarratives", model_dir)
        self.info = info = self.narr.info  # a MissingHead's info is empty
        # the training run measured both decodings and recorded the better one
        self.single_domain = bool(info.get("single_domain", True)) if single_domain is None else single_domain
        self.backend = str(info.get("backend", "use"))
        self.version = str(info.get("version", "narratives"))

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return self.predict_batch([doc], [analysis])[0]

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        embeddings = shared_embedder(self.backend).embed_many([d.text for d in docs])
        return [self.analyse(d.text, e, d.language) for e, d in zip(embeddings, docs, strict=True)]

    def analyse(self, text: str, emb: DocEmbedding, language: str | None = None) -> dict[str, Any]:
        """The article's ``narratives`` and its ``narrative_scores``, kept or not, from one scoring."""
        scores = self.narr.scores(emb, text, language)
        thresholds, relative = self.thresholds(language)
        narr_t = self.narr.head.thresholds if thresholds is None else thresholds[0]
        return {
            "narratives": self.narratives(text, emb, language, scores),
            "narrative_scores": ranked(self.narr.labels, scores, needed_scores(scores, narr_t, relative)),
        }

    def thresholds(self, language: str | None) -> tuple[tuple[float, float] | None, float]:
        """(narrative, subnarrative) thresholds and relative floor tuned for this language in training (the share
        of articles with no narrative differs a lot between the languages of the data); the global ones otherwise."""
        found = self.info.get("thresholds_by_language", {}).get((language or "").lower())
        if not found:
            return None, float(self.info.get("relative", 0.0))
        return (float(found[0]), float(found[1])), float(found[2]) if len(found) > 2 else 0.0

    def decisions(
        self, text: str, emb: DocEmbedding, language: str | None = None, narr_scores: np.ndarray | None = None
    ) -> list[Decision]:
        """``decode`` of the article's scores; ``narr_scores``: the narrative heads' scores, when already made."""
        narr_scores = self.narr.scores(emb, text, language) if narr_scores is None else narr_scores
        sub_scores = self.sub.scores(emb, text, language)
        thresholds, relative = self.thresholds(language)
        return decode(self.narr.head, narr_scores, self.sub.head, sub_scores, self.single_domain, thresholds, relative)

    def narratives(
        self, text: str, emb: DocEmbedding, language: str | None = None, narr_scores: np.ndarray | None = None
    ) -> list[Narrative]:
        out, unit_scores, credits = [], {}, credit_spans(text)
        for d in self.decisions(text, emb, language, narr_scores):
            head, label = (self.sub, d.subnarrative) if d.subnarrative else (self.narr, d.narrative)
            if id(head) not in unit_scores:  # scored once per document and head, only when something is found
                unit_scores[id(head)] = head.unit_scores(emb, text, language)
            sub_name = d.subnarrative[len(d.narrative) + 2 :] if d.subnarrative else None
            spans = evidence(unit_scores[id(head)], head.labels.index(label), emb, skip=credits)
            out.append(Narrative(d.narrative, sub_name, round(d.score, 4), spans))
        return out
