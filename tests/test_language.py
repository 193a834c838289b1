"""The language analyzer: ISO 639-1 codes from text, the reader's value kept, clear failure on no text."""

from __future__ import annotations

import pytest

from propscope import pipeline
from propscope.analyzers.language import LanguageAnalyzer, clean_sample
from propscope.schema import Analysis, Document

TEXTS = {
    "en": "The minister said on Tuesday that the sanctions had failed and that the government would change course.",
    "ru": "Министр заявил во вторник, что санкции провалились и что правительство изменит свой курс.",
    "uk": "Міністр заявив у вівторок, що санкції провалилися і що уряд змінить свій курс.",
    "de": "Der Minister sagte am Dienstag, dass die Sanktionen gescheitert seien und die Regierung umsteuern werde.",
    "fr": "Le ministre a déclaré mardi que les sanctions avaient échoué et que le gouvernement changerait de cap.",
    "bg": "Министърът заяви във вторник, че санкциите са се провалили и че правителството ще промени курса си.",
    "pl": "Minister powiedział we wtorek, że sankcje zawiodły i że rząd zmieni kurs.",
}


@pytest.fixture(scope="module")
def analyzer() -> LanguageAnalyzer:
    return LanguageAnalyzer()


@pytest.mark.parametrize(("code", "text"), sorted(TEXTS.items()))
def test_detects_language(analyzer: LanguageAnalyzer, code: str, text: str) -> None:
    doc = Document(id=code, text=text)
    assert analyzer.predict(doc, Analysis(document=doc)) == {"language": code}
    assert doc.language is None  # predict has no side effects


def test_reader_language_is_kept(analyzer: LanguageAnalyzer) -> None:
    doc = Document(id="x", text=TEXTS["ru"], language="uk")
    assert analyzer.predict(doc, Analysis(document=doc)) == {}


def test_urls_and_handles_do_not_decide(analyzer: LanguageAnalyzer) -> None:
    text = "@news_channel https://example.com/world/2024/story-about-things Министр заявил, что санкции провалились."
    assert "example.com" not in clean_sample(text, 4000)
    assert analyzer.detect(text)[0] == "ru"


def test_too_little_text_is_an_error(analyzer: LanguageAnalyzer) -> None:
    with pytest.raises(ValueError, match="too little text"):
        analyzer.detect("12 345 !!! https://example.com")


def test_restricted_languages() -> None:
    restricted = LanguageAnalyzer(languages=["ru", "uk"])
    assert restricted.detect(TEXTS["bg"])[0] in ("ru", "uk")
    with pytest.raises(ValueError, match="xx"):
        LanguageAnalyzer(languages=["en", "xx"])


def test_pipeline_sets_document_language() -> None:
    pipe = pipeline.build(["language"])
    docs = [Document(id="a", text=TEXTS["de"]), Document(id="b", text="..."), Document(id="c", text="x", language="en")]
    first, second, third = pipe.run(docs)
    assert first.language == "de" and docs[0].language == "de"
    assert second.language is None and second.errors[0].analyzer == "language"
    assert "too little text" in second.errors[0].message
    assert third.language == "en"
    assert first.models["language"] == LanguageAnalyzer.version
