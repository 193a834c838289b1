"""Analyse many inputs: read, run the pipeline in batches, collect problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from propscope import pipeline
from propscope.readers import Problem, ReaderConfig, read_inputs
from propscope.schema import Analysis, Document


@dataclass
class BatchResult:
    analyses: list[Analysis] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def analyze_inputs(
    paths: list[str],
    config: ReaderConfig | None = None,
    analyzers: list[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    progress: bool = False,
    warn: Callable[[str], None] | None = None,
    batch_size: int = 8,
) -> BatchResult:
    """Read every input, analyse every document that could be read; a bad input never stops the rest."""
    result = BatchResult()
    docs: list[Document] = []
    for item in read_inputs(paths, config):
        if isinstance(item, Problem):
            result.problems.append(item)
            if warn:
                warn(str(item))
        else:
            docs.append(item)
    if not docs:
        return result
    pipe = pipeline.build(analyzers, options)
    bar = _progress(len(docs)) if progress and len(docs) > 1 else None
    for start in range(0, len(docs), batch_size):
        chunk = docs[start : start + batch_size]
        result.analyses.extend(pipe.run(chunk))
        if bar:
            bar.update(len(chunk))
    if bar:
        bar.close()
    return result


def _progress(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="analysing", leave=False)
