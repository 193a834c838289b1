"""Persuasion techniques pinned to character spans, and the techniques of each paragraph (line)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from propscope.analyzers.base import Analyzer
from propscope.models.tagger import TokenTagger, decode, paragraph_labels
from propscope.schema import Analysis, Document, Paragraph, TechniqueSpan

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "techniques"
# a shallower tagger distilled from the one above: about 1.6 times as fast, less accurate (see its MODEL_CARD.md)
FAST_MODEL_DIR = MODEL_DIR.parent / "techniques_fast"


def line_paragraphs(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every non-blank line (SemEval-2023 subtask 3: a paragraph is a line)."""
    out = []
    start = 0
    for line in text.split("\n"):
        body = line.rstrip("\r")
        if body.strip():
            out.append((start, start + len(body)))
        start += len(line) + 1
    return out


def paragraphs_of(text: str, spans: list[TechniqueSpan], order: list[str]) -> list[Paragraph]:
    """Each line with the techniques of the spans that overlap it, in model label order."""
    rank = {label: i for i, label in enumerate(order)}
    result = []
    for start, end in line_paragraphs(text):
        found = {s.technique for s in spans if s.start < end and s.end > start}
        result.append(Paragraph(start, end, sorted(found, key=lambda t: rank.get(t, len(rank)))))
    return result


class TechniquesAnalyzer(Analyzer):
    """English multi-label token tagger (MiniLM, int8 ONNX); see models/techniques/MODEL_CARD.md."""

    name = "techniques"
    adds: ClassVar[tuple[str, ...]] = ("techniques", "paragraphs")

    def __init__(
        self,
        model_dir: str | Path | None = None,
        threads: int = 2,
        batch_size: int = 16,
        cross_document: bool = False,
        fast: bool = False,
    ) -> None:
        """``cross_document`` batches windows of different articles together: a little faster, but with int8
        activations an article's scores then depend slightly on what it is analysed with. ``fast`` picks the
        shallower tagger (``FAST_MODEL_DIR``) when no ``model_dir`` is given."""
        folder = Path(model_dir) if model_dir else FAST_MODEL_DIR if fast else MODEL_DIR
        self.tagger = TokenTagger(
            folder, threads=int(threads), batch_size=int(batch_size), cross_document=cross_document
        )
        self.version = str(self.tagger.config.extra.get("version", "minilm-tagger"))

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return self.predict_batch([doc], [analysis])[0]

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        """English (or unknown-language) documents only; the others are left to ``paragraph_techniques``."""
        wanted = [i for i, d in enumerate(docs) if not d.language or d.language == "en"]
        out: list[dict[str, Any]] = [{} for _ in docs]
        probabilities = self.tagger.probabilities([docs[i].text for i in wanted])
        for i, (enc, probs) in zip(wanted, probabilities, strict=True):
            out[i] = self._result(docs[i].text, enc.offsets, probs)
        return out

    def _result(self, text: str, offsets: Any, probs: Any) -> dict[str, Any]:
        cfg = self.tagger.config
        found = decode(text, offsets, probs, cfg.labels, cfg.thresholds, cfg.gap, cfg.grow)
        techniques = [TechniqueSpan(label, s, e, text[s:e], round(score, 4)) for label, s, e, score in found]
        if cfg.paragraph_thresholds:  # paragraph labels have thresholds of their own (see the model card)
            lines = line_paragraphs(text)
            labelled = paragraph_labels(offsets, probs, lines, cfg.labels, cfg.paragraph_thresholds)
            paragraphs = [Paragraph(s, e, labs) for (s, e), labs in zip(lines, labelled, strict=True)]
        else:
            paragraphs = paragraphs_of(text, techniques, cfg.labels)
        return {"techniques": techniques, "paragraphs": paragraphs}
