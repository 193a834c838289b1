"""The analyzer contract: declare needs and adds, predict without side effects."""

from __future__ import annotations

from typing import Any, ClassVar

from propscope.schema import Analysis, Document


class Analyzer:
    """Base class for analyzers.

    ``needs`` names the Analysis fields that must be filled by an earlier analyzer
    (``language`` may also come from the reader). ``adds`` names the fields that
    ``predict`` returns. ``predict`` must not change ``doc`` or ``analysis``; the
    pipeline sets what it returns, so one failing analyzer leaves no half-written state.
    """

    name: ClassVar[str] = ""
    needs: ClassVar[tuple[str, ...]] = ()
    adds: ClassVar[tuple[str, ...]] = ()
    version: ClassVar[str] = "rules-1"

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        raise NotImplementedError

    def predict_batch(self, docs: list[Document], analyses: list[Analysis]) -> list[dict[str, Any]]:
        """Override when batching pays (model inference); errors there fail the whole batch,
        so the pipeline falls back to ``predict`` one document at a time."""
        return [self.predict(d, a) for d, a in zip(docs, analyses, strict=True)]
