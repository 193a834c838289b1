"""HTML pages: the article's main text and metadata via trafilatura.

``Document.text`` is trafilatura's plain text (one paragraph per line); offsets index that text, not the HTML.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

from propscope.readers.base import Problem, ReaderConfig, ReadError
from propscope.readers.text import doc_id, looks_binary
from propscope.schema import Document

_LANG_ATTR = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def extract(data: bytes) -> dict[str, Any] | None:
    """trafilatura's main text and metadata, or None when it finds no article."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # trafilatura/lxml FutureWarnings are not the user's business
        found = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    if found is None:
        return None
    fields = found.as_dict() if hasattr(found, "as_dict") else dict(found)
    return fields if (fields.get("text") or "").strip() else None


def page_text(data: bytes) -> str:
    """All visible text, for pages where no main article is found."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.html2txt(data) or ""


def declared_language(data: bytes) -> str | None:
    """The ``<html lang=..>`` code; kept as a hint only, since templates often leave it wrong."""
    match = _LANG_ATTR.search(data[:65536])
    return match.group(1).decode("ascii").lower() if match else None


def read_html(data: bytes, name: str, config: ReaderConfig) -> Iterator[Document | Problem]:
    if looks_binary(data):
        raise ReadError("binary file, not HTML")
    fields = extract(data)
    if fields is None:
        text = page_text(data).strip()
        if not text:
            raise ReadError("no text found in the HTML page")
        yield Problem(name, "no main article found; using all of the page's text", fatal=False)
        fields = {"text": text}
    yield document_from_fields(fields, name, declared_language(data))


def document_from_fields(fields: dict[str, Any], name: str, language_hint: str | None) -> Document:
    text = fields["text"]
    url = fields.get("url") or None
    doc = Document(
        id=doc_id(name, text),
        text=text,
        title=fields.get("title") or None,
        source=url if name == "-" else name,
        outlet=fields.get("sitename") or fields.get("hostname") or None,
        published=fields.get("date") or None,
        author=fields.get("author") or None,
    )
    if url:
        doc.meta["url"] = url
    if fields.get("hostname"):
        doc.meta["domain"] = fields["hostname"]
    if language_hint:
        doc.meta["declared_language"] = language_hint
    return doc
