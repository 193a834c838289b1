"""Bring stored analyses up to date with the current analyzers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from propscope.pipeline import Pipeline
from propscope.store.codec import document_from_dict
from propscope.store.repository import Store


@dataclass(slots=True)
class ReanalysisResult:
    checked: int
    redone: int


def current_models(pipe: Pipeline) -> dict[str, str]:
    """What ``Analysis.models`` holds after this pipeline ran without errors."""
    return {a.name: a.version for a in pipe.analyzers}


def reanalyze(
    store: Store, pipe: Pipeline, batch_size: int = 8, progress: Callable[[int], None] | None = None
) -> ReanalysisResult:
    """Re-run ``pipe`` on every stored article whose model versions differ from the pipeline's, from the
    stored input document; each article's new analysis replaces the old one in its own transaction."""
    stale = store.stale(current_models(pipe))
    done = 0
    for start in range(0, len(stale), batch_size):
        chunk = list(store.iter_documents(stale[start : start + batch_size]))
        analyses = pipe.run([document_from_dict(doc) for _, doc in chunk])
        for (article_id, _), analysis in zip(chunk, analyses, strict=True):
            store.replace_analysis(article_id, analysis)
        done += len(chunk)
        if progress:
            progress(len(chunk))
    return ReanalysisResult(checked=store.count(), redone=done)
