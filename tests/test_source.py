"""Source markers, domain and outlet on self-written articles (English and Russian)."""

from __future__ import annotations

import pytest

from propscope.analyzers.source import SourceAnalyzer
from propscope.pipeline import build
from propscope.schema import Analysis, Document, SourceInfo

EN_ARTICLE = """Grain deal collapses as sanctions bite
By John Smith and Anna Petrova | 12 May 2024

Officials in the capital said on Tuesday that the shipments had stopped.
Stay tuned to our Telegram channel for more updates!
The outlet says it was banned in the EU, blocked by Western platforms and censored by YouTube.
This is the story they don't want you to know.
Mirror: https://news.example.org/grain-deal, or visit example.net.
This article was originally published by Strategic Culture Foundation and is republished with permission.
Source: Example Wire
"""

RU_ARTICLE = """Автор: Иван Петров
Подписывайтесь на наш Telegram-канал! Новости также на t.me/example_news.
Наш канал заблокировали на YouTube, а западная цензура усиливается.
Источник: Пример Новости
Перепечатка с сайта example.ru
"""


def source_of(text: str, **fields: object) -> SourceInfo:
    doc = Document(id="t", text=text, **fields)
    return SourceAnalyzer().predict(doc, Analysis(document=doc))["source"]


def kinds_and_texts(info: SourceInfo) -> set[tuple[str, str]]:
    return {(m.kind, m.text) for m in info.markers}


def test_markers_are_pinned_to_exact_offsets():
    for text in (EN_ARTICLE, RU_ARTICLE):
        info = source_of(text)
        assert info.markers
        for m in info.markers:
            assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("byline", "By John Smith and Anna Petrova"),
        ("channel_call", "Stay tuned to our Telegram channel"),
        ("censorship_claim", "banned in the EU"),
        ("censorship_claim", "blocked by Western platforms"),
        ("censorship_claim", "censored by YouTube"),
        ("censorship_claim", "they don't want you to know"),
        ("link", "https://news.example.org/grain-deal"),
        ("link", "example.net"),
        ("republication", "This article was originally published by Strategic Culture Foundation"),
        ("republication", "republished with permission"),
        ("source_line", "Source: Example Wire"),
    ],
)
def test_english_markers(kind, text):
    assert (kind, text) in kinds_and_texts(source_of(EN_ARTICLE))


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("byline", "Автор: Иван Петров"),
        ("channel_call", "Подписывайтесь на наш Telegram-канал"),
        ("channel_call", "t.me/example_news"),
        ("censorship_claim", "Наш канал заблокировали на YouTube"),
        ("censorship_claim", "западная цензура"),
        ("source_line", "Источник: Пример Новости"),
        ("republication", "Перепечатка с сайта example.ru"),
        ("link", "example.ru"),
    ],
)
def test_russian_markers(kind, text):
    assert (kind, text) in kinds_and_texts(source_of(RU_ARTICLE))


@pytest.mark.parametrize(
    "text",
    [
        "Follow us on VK for daily reports.",
        "Subscribe to Example TV on Telegram.",
        "The full interview is on our YouTube channel.",
        "More photos: Join our Telegram.",
        "Читайте нас в ВК.",
        "Следите за новостями в нашем Telegram-канале.",
    ],
)
def test_channel_calls(text):
    assert "channel_call" in {m.kind for m in source_of(text).markers}


@pytest.mark.parametrize(
    "text",
    [
        "Telegram founder Pavel Durov was detained in France on Saturday.",
        "Millions of Russians subscribe to Telegram channels run by military bloggers.",
        "The ministry posted the statement on its Telegram channel.",
        "Readers can follow the war on Telegram, the analyst said.",
        "Основатель Telegram Павел Дуров был задержан во Франции.",
        "Министерство опубликовало заявление в своём Telegram-канале.",
        "Читайте также: Первый канал сообщил о визите.",
        "The White House is amplifying our Twitter account, the campaign said.",
        "Read more on Facebook about the new policy.",
    ],
)
def test_news_about_telegram_is_not_a_channel_call(text):
    assert "channel_call" not in {m.kind for m in source_of(text).markers}


@pytest.mark.parametrize(
    "text",
    [
        "Russia expanded censorship of the internet last year.",
        "The regulator blocked Instagram in Russia in 2022.",
        "Роскомнадзор заблокировал Instagram в России.",
        "У нас запрещено курить.",
        "Shipowners used old tankers to evade the restrictions.",
    ],
)
def test_news_about_censorship_is_not_a_censorship_claim(text):
    assert "censorship_claim" not in {m.kind for m in source_of(text).markers}


@pytest.mark.parametrize(
    "text",
    [
        "By Monday, troops had advanced further along the river.",
        "By Russian standards, this was a mild winter for the region.",
        "Prices were driven by Western sanctions, officials said.",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(text):
    assert "byline" not in {m.kind for m in source_of(text).markers}


def test_plain_news_has_no_markers():
    text = "The central bank raised its key rate by two points on Friday, citing inflation. Analysts expected it."
    assert source_of(text).markers == []


def test_email_address_is_not_a_link():
    info = source_of("Write to press@example.com with questions.")
    assert [m for m in info.markers if m.kind == "link"] == []


def test_trailing_punctuation_is_not_part_of_a_link():
    info = source_of("See https://example.com/a/b. Or (www.example.org).")
    assert [m.text for m in info.markers if m.kind == "link"] == ["https://example.com/a/b", "www.example.org"]


def test_domain_from_source_url_drops_www_and_case():
    info = source_of("Text.", source="https://WWW.News.Example.com/2024/05/story.html")
    assert info.domain == "news.example.com"
    assert info.outlet == "news.example.com"


def test_domain_from_meta_url_and_outlet_from_document():
    info = source_of("Text.", source="articles/a.txt", outlet="Example Daily", meta={"url": "http://example.com/x"})
    assert info.domain == "example.com"
    assert info.outlet == "Example Daily"


def test_file_path_source_gives_no_domain():
    info = source_of("Plain text only.", source="corpus/example.com.txt")
    assert info.domain is None
    assert info.outlet is None


def test_outlet_from_source_line_when_document_has_none():
    assert source_of(EN_ARTICLE).outlet == "Example Wire"


def test_domain_named_by_source_line_when_url_unknown():
    info = source_of("Body text here.\nSource: example.org\n")
    assert info.domain == "example.org"


def test_runs_in_pipeline_without_reliability_list():
    pipe = build(["source"])
    analysis = pipe(Document(id="p", text=RU_ARTICLE, meta={"url": "https://example.ru/a"}))
    assert analysis.errors == []
    assert analysis.source.domain == "example.ru"
    assert analysis.source.reliability is None
    assert analysis.models["source"] == SourceAnalyzer.version


@pytest.mark.parametrize(
    "text",
    [
        "Inspectors found pesticides that are banned in the EU in the grain shipment.",
        "US bloggers have been banned from entering the country, the ministry said.",
        "The lawyers denied the claims an hour before the story was first published.",
        "Citizens need paid tools to evade Russian censorship policies.",
        "В пшенице обнаружили запрещенные в Евросоюзе пестициды.",
        "Посредники используют схемы для обхода запрета на реэкспорт.",
    ],
)
def test_ordinary_bans_and_publications_are_not_markers(text):
    assert source_of(text).markers == []


def test_ban_in_the_eu_counts_after_a_media_word():
    assert ("censorship_claim", "запрещён в Евросоюзе") in kinds_and_texts(source_of("Телеканал запрещён в Евросоюзе."))


def test_byline_drops_a_trailing_date():
    info = source_of("Headline\nBy Ann Lee, Example Tribune, September 26, 2018\n\nBody text follows here.")
    assert ("byline", "By Ann Lee, Example Tribune") in kinds_and_texts(info)


def test_source_line_url_gives_outlet_domain():
    info = source_of("Body.\nSource: https://www.example.org/2023/12/some-story/\n", source="https://other.example/x")
    assert info.outlet == "example.org"
    assert info.domain == "other.example"


def test_output_matches_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    import json
    from pathlib import Path

    import propscope

    schema_path = Path(propscope.__file__).parent / "schemas" / "analysis-1.schema.json"
    if not schema_path.exists():
        pytest.skip("no JSON schema in this checkout")
    analysis = build(["source"])(Document(id="s", text=EN_ARTICLE + RU_ARTICLE, meta={"url": "https://example.com/"}))
    jsonschema.validate(analysis.to_dict(), json.loads(schema_path.read_text(encoding="utf-8")))
