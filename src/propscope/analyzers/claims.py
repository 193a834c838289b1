"""Who says, claims, announces, warns or denies what: attributed claims with speaker, cue, hedges, denial and
quantities, for English (spaCy) and Russian (natasha). Other languages get no claims, not an error.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from propscope.analyzers.base import Analyzer
from propscope.analyzers.claim_drafts import finish
from propscope.schema import Analysis, Claim, Document

SUPPORTED = ("en", "ru")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str) -> str | None:
    """Guess "ru" when most letters are Cyrillic, "en" when most are Latin, None for text with no letters."""
    sample = text[:5000]
    cyrillic, latin = len(_CYRILLIC.findall(sample)), len(_LATIN.findall(sample))
    if cyrillic + latin == 0:
        return None
    return "ru" if cyrillic > latin else "en"


def find_claims(text: str, language: str | None) -> list[Claim]:
    """Claims in ``text``; ``language`` None means guess it from the script."""
    language = (language or guess_language(text) or "").split("-")[0].lower()
    if language not in SUPPORTED or not text.strip():
        return []
    if language == "en":
        from propscope.analyzers import claims_en as module
    else:
        from propscope.analyzers import claims_ru as module
    drafts, pos_at = module.extract(text)
    return finish(text, drafts, language, pos_at)


class ClaimsAnalyzer(Analyzer):
    """Adds ``claims``. Uses the document language when known, else guesses English or Russian from the script."""

    name = "claims"
    adds: ClassVar[tuple[str, ...]] = ("claims",)
    version = "rules-1"

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        return {"claims": find_claims(doc.text, doc.language)}
