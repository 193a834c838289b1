"""Analyse many inputs: read, run the pipeline in batches, collect problems.

With ``jobs`` > 1 the batches go to that many worker processes, each with its own pipeline and one thread per
model: spaCy and the rule-based analyzers use a single core, so two one-thread workers keep a 2-core machine busy
where one two-thread pipeline leaves a core idle for much of each article.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from propscope import pipeline
from propscope.readers import Problem, ReaderConfig, read_inputs
from propscope.schema import Analysis, Document

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "ORT_NUM_THREADS")


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
    jobs: int = 1,
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
    bar = _progress(len(docs)) if progress and len(docs) > 1 else None
    for chunk in run_batches(docs, analyzers, options, batch_size, jobs):
        result.analyses.extend(chunk)
        if bar:
            bar.update(len(chunk))
    if bar:
        bar.close()
    return result


def run_batches(
    docs: list[Document],
    analyzers: list[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    batch_size: int = 8,
    jobs: int = 1,
) -> Iterator[list[Analysis]]:
    """The analyses of ``docs``, a batch at a time and in input order, from ``jobs`` processes."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    chunks = [docs[i : i + batch_size] for i in range(0, len(docs), batch_size)]
    if jobs == 1 or len(chunks) == 1:
        pipe = pipeline.build(analyzers, options)
        yield from (pipe.run(chunk) for chunk in chunks)
        return
    worker_options = pipeline.with_threads(analyzers, options, threads=1)
    # spawn, not fork: the parent may hold onnxruntime or OpenMP thread pools that do not survive a fork
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context, initializer=_one_thread) as pool:
        yield from pool.map(_run_chunk, chunks, [(analyzers, worker_options)] * len(chunks))


_worker_pipe: pipeline.Pipeline | None = None


def _one_thread() -> None:
    for var in THREAD_VARS:  # before any model library starts its thread pool
        os.environ[var] = "1"


def _run_chunk(docs: list[Document], config: tuple[list[str] | None, dict[str, dict[str, Any]]]) -> list[Analysis]:
    # The pipeline is built on the first chunk, not in the initializer, so a PipelineError reaches the caller
    # as itself instead of as a broken pool.
    global _worker_pipe
    if _worker_pipe is None:
        _worker_pipe = pipeline.build(*config)
    return _worker_pipe.run(docs)


def _progress(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="analysing", leave=False)
