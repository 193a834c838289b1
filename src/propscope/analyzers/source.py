"""Where an article comes from: its domain and outlet, reliability, and source markers in the text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from propscope.analyzers.base import Analyzer
from propscope.analyzers.reliability import ReliabilityList, load_reliability, normalize_domain
from propscope.analyzers.source_markers import SOURCE_LINE, Found, markers_of
from propscope.schema import Analysis, Document, Marker, SourceInfo


def document_url(doc: Document) -> str | None:
    """The address the article was published at: ``meta["url"]``, else ``source`` when it is a URL."""
    url = doc.meta.get("url")
    if isinstance(url, str) and url.strip():
        return url.strip()
    if doc.source and doc.source.lower().startswith(("http://", "https://")):
        return doc.source
    return None


def _named_domain(value: str | None) -> str | None:
    """The domain in a "Source: rt.com" value or an outlet field that is a domain; None for plain names."""
    if not value:
        return None
    word = value.split()[0] if value.split() else ""
    return normalize_domain(word) if "." in word else None


def document_domain(doc: Document, found: Sequence[Found]) -> str | None:
    """The article's own domain; when its URL is unknown, a domain its outlet field or Source line names."""
    url = document_url(doc)
    if url:
        return normalize_domain(url)
    for value in (doc.outlet, *(f.value for f in found if f.kind == SOURCE_LINE)):
        domain = _named_domain(value)
        if domain:
            return domain
    return None


def document_outlet(doc: Document, found: Sequence[Found], domain: str | None) -> str | None:
    """``Document.outlet``, else the first "Source:" value (its domain when it is a URL), else the domain."""
    if doc.outlet and doc.outlet.strip():
        return doc.outlet.strip()
    for f in found:
        if f.kind == SOURCE_LINE and f.value:
            # "Source: https://example.com/2024/05/story" names the outlet by its domain.
            return _named_domain(f.value) if f.value.lower().startswith(("http://", "https://")) else f.value
    return domain


class SourceAnalyzer(Analyzer):
    name: ClassVar[str] = "source"
    adds: ClassVar[tuple[str, ...]] = ("source",)
    version: ClassVar[str] = "rules-1"

    def __init__(self, reliability_path: str | None = None) -> None:
        # Read the list now: a malformed file stops the run with one line before any article is read.
        self.reliability: ReliabilityList | None = load_reliability(reliability_path) if reliability_path else None

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        found = markers_of(doc.text)
        domain = document_domain(doc, found)
        info = SourceInfo(
            outlet=document_outlet(doc, found, domain),
            domain=domain,
            reliability=self.reliability.lookup(domain) if self.reliability else None,
            markers=[Marker(f.kind, f.start, f.end, doc.text[f.start : f.end]) for f in found],
        )
        return {"source": info}
