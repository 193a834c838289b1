"""Builds analyzers from config and runs them in order over documents."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from propscope.analyzers.base import Analyzer
from propscope.schema import RESULT_FIELDS, Analysis, AnalyzerError, Document

# name -> "module:Class"; imported only when used, so the CLI starts fast.
REGISTRY: dict[str, str] = {
    "language": "propscope.analyzers.language:LanguageAnalyzer",
    "source": "propscope.analyzers.source:SourceAnalyzer",
    "claims": "propscope.analyzers.claims:ClaimsAnalyzer",
    "techniques": "propscope.analyzers.techniques:TechniquesAnalyzer",
    "paragraph_techniques": "propscope.analyzers.paragraph_techniques:ParagraphTechniquesAnalyzer",
    "narratives": "propscope.analyzers.narratives:NarrativesAnalyzer",
    "entities": "propscope.analyzers.entities:EntitiesAnalyzer",
    "genre": "propscope.analyzers.genre:GenreAnalyzer",
    "frames": "propscope.analyzers.frames:FramesAnalyzer",
}

DEFAULT_ANALYZERS = (
    "language",
    "source",
    "claims",
    "techniques",
    "paragraph_techniques",
    "narratives",
    "entities",
    "genre",
    "frames",
)


class PipelineError(ValueError):
    """A pipeline that cannot be built as configured."""


def available() -> list[str]:
    """Registered analyzers whose module exists in this install."""
    return [n for n, ref in REGISTRY.items() if importlib.util.find_spec(ref.split(":")[0]) is not None]


def load_analyzer(name: str, options: dict[str, Any] | None = None) -> Analyzer:
    if name not in REGISTRY:
        raise PipelineError(f"unknown analyzer {name!r}; known: {', '.join(REGISTRY)}")
    module_name, cls_name = REGISTRY[name].split(":")
    try:
        cls = getattr(importlib.import_module(module_name), cls_name)
    except ModuleNotFoundError as exc:
        raise PipelineError(f"analyzer {name!r} is not installed ({exc.name} is missing)") from exc
    try:
        return cls(**(options or {}))
    except (OSError, ValueError) as exc:  # missing model files, a bad option file
        raise PipelineError(f"analyzer {name!r}: {exc}") from exc


@dataclass
class Pipeline:
    analyzers: list[Analyzer] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_order(self.analyzers)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.analyzers]

    def __call__(self, doc: Document) -> Analysis:
        return self.run([doc])[0]

    def run(self, docs: list[Document]) -> list[Analysis]:
        analyses = [Analysis(document=d) for d in docs]
        # Fields set so far per document; a field whose analyzer failed stays unset.
        filled = [{"language"} if d.language else set() for d in docs]
        for analyzer in self.analyzers:
            updates = _predict_all(analyzer, docs, analyses, filled)
            for analysis, done, update in zip(analyses, filled, updates, strict=True):
                if isinstance(update, AnalyzerError):
                    analysis.errors.append(update)
                    continue
                for key, value in update.items():
                    setattr(analysis, key, value)
                done.update(update)
                analysis.models[analyzer.name] = analyzer.version
        return analyses

    def pipe(self, docs: Iterable[Document], batch_size: int = 8) -> Iterator[Analysis]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self.run(batch)
                batch = []
        if batch:
            yield from self.run(batch)


def _predict_all(
    analyzer: Analyzer, docs: list[Document], analyses: list[Analysis], filled: list[set[str]]
) -> list[Any]:
    """Updates per document, or an AnalyzerError where that document failed."""
    rows = list(zip(docs, analyses, filled, strict=True))
    if all(set(analyzer.needs) <= f for f in filled):
        try:
            return [_checked(analyzer, u) for u in analyzer.predict_batch(docs, analyses)]
        except Exception:  # noqa: BLE001, S110 - retry one by one to find the failing document
            pass
    return [_predict_one(analyzer, d, a, f) for d, a, f in rows]


def _predict_one(analyzer: Analyzer, doc: Document, analysis: Analysis, filled: set[str]) -> Any:
    missing = [n for n in analyzer.needs if n not in filled]
    if missing:
        return AnalyzerError(analyzer.name, f"needs {', '.join(missing)}, which an earlier step did not provide")
    try:
        return _checked(analyzer, analyzer.predict(doc, analysis))
    except Exception as exc:  # noqa: BLE001 - one analyzer's failure must not stop the others
        return AnalyzerError(analyzer.name, f"{type(exc).__name__}: {exc}")


def _checked(analyzer: Analyzer, update: dict[str, Any]) -> dict[str, Any]:
    extra = set(update) - set(analyzer.adds)
    if extra:
        raise PipelineError(f"{analyzer.name} returned undeclared fields {sorted(extra)}")
    return update


def check_order(analyzers: list[Analyzer]) -> None:
    """Every need must be added by an earlier analyzer (language may come from the reader)."""
    provided = {"language"}
    for a in analyzers:
        unknown = [f for f in (*a.needs, *a.adds) if f not in RESULT_FIELDS]
        if unknown:
            raise PipelineError(f"{a.name} declares unknown fields {unknown}")
        missing = [n for n in a.needs if n not in provided]
        if missing:
            raise PipelineError(f"{a.name} needs {missing}, which no earlier analyzer adds")
        provided.update(a.adds)


def with_threads(
    names: Iterable[str] | None, options: dict[str, dict[str, Any]] | None, threads: int
) -> dict[str, dict[str, Any]]:
    """``options`` plus ``threads`` for every chosen analyzer whose constructor takes it (unless already set)."""
    out = {name: dict(opts) for name, opts in (options or {}).items()}
    for name in _chosen(names):
        module_name, cls_name = REGISTRY[name].split(":")
        try:
            cls = getattr(importlib.import_module(module_name), cls_name)
        except ModuleNotFoundError:
            continue  # build() reports it
        if "threads" in inspect.signature(cls.__init__).parameters:
            out.setdefault(name, {}).setdefault("threads", threads)
    return out


def _chosen(names: Iterable[str] | None) -> list[str]:
    if names is None:
        installed = available()
        return [n for n in DEFAULT_ANALYZERS if n in installed]
    chosen = list(names)
    unknown = [n for n in chosen if n not in REGISTRY]
    if unknown:
        raise PipelineError(f"unknown analyzer {unknown[0]!r}; known: {', '.join(REGISTRY)}")
    return chosen


def build(names: Iterable[str] | None = None, options: dict[str, dict[str, Any]] | None = None) -> Pipeline:
    """A pipeline of the named analyzers (default: every one installed), in the given order."""
    options = options or {}
    return Pipeline([load_analyzer(n, options.get(n)) for n in _chosen(names)])
