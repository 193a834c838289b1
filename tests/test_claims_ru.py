"""Russian claims: the same result shape as English, from natasha's parse. Sentences written for these tests."""

from __future__ import annotations

import pytest

from propscope.analyzers.claims import ClaimsAnalyzer, find_claims
from propscope.schema import Analysis, Claim, Document

pytest.importorskip("natasha")
pytest.importorskip("pymorphy3")


def claims_of(text: str) -> list[Claim]:
    found = find_claims(text, "ru")
    for c in found:
        assert text[c.start : c.end] == c.text
    return found


def only(text: str) -> Claim:
    found = claims_of(text)
    assert len(found) == 1, found
    return found[0]


def test_po_dannym_with_hedge_and_quantity() -> None:
    c = only("По данным южнокорейской разведки, КНДР якобы передала России около миллиона боеприпасов.")
    assert c.text == "КНДР якобы передала России около миллиона боеприпасов"
    assert c.cue == "по данным"
    assert c.speaker is not None and c.speaker.name == "южнокорейской разведки"
    assert c.hedged and c.hedges == ["якобы"]
    assert [(q.value, q.unit) for q in c.quantities] == [(1_000_000, "боеприпасов")]


def test_denial_verb_with_object() -> None:
    c = only("Пресс-секретарь президента Дмитрий Песков неоднократно опровергал эти сообщения, назвав их клеветой.")
    assert c.denial and c.text == "эти сообщения"
    assert c.speaker is not None and c.speaker.name == "Пресс-секретарь президента Дмитрий Песков"
    assert c.cue == "неоднократно опровергал"


def test_quote_with_pronoun_speaker() -> None:
    text = "Дмитрий Песков прокомментировал публикации. «Это ложь и провокация западных СМИ», — заявил он журналистам."
    c = only(text)
    assert c.text == "Это ложь и провокация западных СМИ"
    assert c.speaker is not None and c.speaker.name == "Дмитрий Песков"
    assert text[c.speaker.start : c.speaker.end] == "он"
    assert c.cue == "заявил"
    assert c.denial  # the quote itself calls the reports a lie


def test_indirect_speech_chto() -> None:
    c = only("Глава МИД Сергей Лавров заявил, что сотрудничество с КНДР не направлено против третьих стран.")
    assert c.text == "сотрудничество с КНДР не направлено против третьих стран"
    assert c.speaker is not None and c.speaker.name == "Глава МИД Сергей Лавров"
    assert c.cue == "заявил"
    assert not c.hedged and not c.denial


def test_po_slovam_and_kak_otmetil() -> None:
    a = only("По словам Пескова, Москва и Пхеньян продолжат развивать добрососедские отношения.")
    assert a.cue == "по словам" and a.speaker is not None and a.speaker.name == "Пескова"
    assert a.text == "Москва и Пхеньян продолжат развивать добрососедские отношения"
    b = only("Как отметил министр обороны, Россия не нарушает санкции ООН.")
    assert b.cue == "отметил" and b.speaker is not None and b.speaker.name == "министр обороны"
    assert b.text == "Россия не нарушает санкции ООН"


def test_unconfirmed_data_is_hedged_without_speaker() -> None:
    c = only("По неподтверждённым данным, в Курской области находятся 12 тысяч северокорейских военных.")
    assert c.speaker is None
    assert c.hedged and c.hedges == ["По неподтверждённым данным"]
    assert [q.value for q in c.quantities] == [12_000]


def test_unattributed_numeric_claim() -> None:
    c = only("КНДР поставила России 4,8 млн снарядов с августа.")
    assert c.speaker is None and c.cue is None
    assert [(q.text, q.value, q.unit) for q in c.quantities] == [("4,8 млн снарядов", 4_800_000, "снарядов")]


@pytest.mark.parametrize(
    "text",
    [
        "Лидеры двух стран встретились во Владивостоке в 2023 году.",
        "Так называемые эксперты снова ошиблись.",
        "Отношения Москвы и Пхеньяна имеют давнюю историю.",
    ],
)
def test_plain_sentences_are_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_language_is_guessed_from_cyrillic() -> None:
    text = "КНДР поставила России 4,8 млн снарядов с августа."
    doc = Document(id="r1", text=text)
    out = ClaimsAnalyzer().predict(doc, Analysis(document=doc))
    assert [c.text for c in out["claims"]] == ["КНДР поставила России 4,8 млн снарядов с августа"]


def test_possessive_points_back_to_last_speaker_not_nearest_name() -> None:
    text = (
        "Президент Украины Владимир Зеленский отверг идею Виктора Орбана о перемирии. "
        "По его словам, переговоры возможны только на международной площадке."
    )
    first, second = claims_of(text)
    assert first.denial and first.text == "идею Виктора Орбана о перемирии"
    assert second.cue == "по его словам"
    assert second.speaker is not None and second.speaker.name == "Владимир Зеленский"
    assert text[second.speaker.start : second.speaker.end] == "его"
