"""What the web app does, without HTTP: analyse new articles (once per text) and store them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from propscope import pipeline as pipeline_mod
from propscope.pipeline import Pipeline
from propscope.readers import Problem, ReaderConfig
from propscope.readers.text import document_from_text
from propscope.schema import Document
from propscope.store import Saved, Store
from propscope.store.codec import document_to_dict


@dataclass(slots=True)
class NewArticle:
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass(slots=True)
class UploadResult:
    saved: list[Saved] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class AnalysisUnavailable(Exception):
    """The pipeline cannot be built (a model file missing, an unknown analyzer): one line for the user."""


class Analyst:
    """Builds the pipeline on first use (so the server starts fast) and runs one analysis at a time
    (models are large; two cores gain nothing from running two)."""

    def __init__(
        self,
        store: Store,
        analyzers: list[str] | None = None,
        options: dict[str, dict[str, Any]] | None = None,
        pipeline: Pipeline | None = None,
    ) -> None:
        self.store = store
        self._names = analyzers
        self._options = options or {}
        self._pipeline = pipeline
        self._lock = threading.Lock()

    @property
    def pipeline(self) -> Pipeline:
        with self._lock:
            if self._pipeline is None:
                try:
                    self._pipeline = pipeline_mod.build(self._names, self._options)
                except (ValueError, ImportError, OSError) as exc:
                    # Not cached: a model installed later is picked up by the next request.
                    raise AnalysisUnavailable(f"cannot analyse new articles: {exc}") from exc
            return self._pipeline

    def add(self, article: NewArticle) -> Saved:
        fields = {k: v for k, v in (("outlet", article.outlet), ("published", article.published)) if v}
        if article.title:
            fields["title"] = article.title
        doc = document_from_text(article.text, "-", **fields)
        doc.source = article.url or None
        return self.add_document(doc)

    def add_document(self, doc: Document) -> Saved:
        """Analyse and store ``doc`` unless its text is stored already."""
        known = self.store.find_text(doc.text)
        if known is not None:
            return Saved(known, False)
        document = document_to_dict(doc)  # before analysers fill in language and the like
        pipe = self.pipeline
        with self._lock:
            analysis = pipe(doc)
        return self.store.save(analysis, document)

    def upload(self, data: bytes, filename: str) -> UploadResult:
        """Every document the project's readers find in an uploaded file (text, HTML, JSONL, CSV)."""
        from propscope.readers.dispatch import read_bytes

        name = PurePath(filename.replace("\\", "/")).name or "upload.txt"
        result = UploadResult()
        for item in read_bytes(data, name, ReaderConfig()):
            if isinstance(item, Problem):
                result.problems.append(item)
            else:
                result.saved.append(self.add_document(item))
        return result
