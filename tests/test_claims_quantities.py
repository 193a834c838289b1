"""Quantities, hedges and denial wording, without any parser (the part-of-speech lookup is given by hand)."""

from __future__ import annotations

import pytest

from propscope.analyzers.claim_drafts import Draft, finish, trim
from propscope.analyzers.claim_markers import find_hedges, has_denial_cue, has_denial_verdict
from propscope.analyzers.quantities import find_quantities
from propscope.schema import Speaker


def nouns(text: str, *words: str) -> dict[int, str]:
    """A part-of-speech lookup that calls ``words`` nouns and everything else a verb."""
    tags: dict[int, str] = {}
    pos = 0
    for word in text.split():
        start = text.index(word, pos)
        tags[start] = "NOUN" if word.strip(".,") in words else "VERB"
        pos = start + len(word)
    return tags


def quantities(text: str, language: str = "en", *unit_words: str) -> list[tuple[str, float | None, str | None]]:
    tags = nouns(text, *unit_words)
    found = find_quantities(text, 0, len(text), language, tags.get)
    for f in found:
        assert text[f.start : f.end] == f.quantity.text
    return [(f.quantity.text, f.quantity.value, f.quantity.unit) for f in found]


@pytest.mark.parametrize(
    ("text", "units", "expected"),
    [
        ("sent 4.8 million artillery shells to", ("artillery", "shells"), ("4.8 million artillery shells", 4.8e6)),
        (
            "about 1 million pieces of ammunition",
            ("pieces", "ammunition"),
            ("about 1 million pieces of ammunition", 1e6),
        ),
        ("12,000 troops have arrived", ("troops",), ("12,000 troops", 12_000)),
        ("three thousand workers left", ("workers",), ("three thousand workers", 3000)),
        ("a million shells went", ("shells",), ("a million shells", 1e6)),
        ("twenty-five soldiers came", ("soldiers",), ("twenty-five soldiers", 25)),
    ],
)
def test_english_numbers_and_units(text: str, units: tuple[str, ...], expected: tuple[str, float]) -> None:
    [(found_text, value, unit)] = quantities(text, "en", *units)
    assert (found_text, value) == expected
    assert unit == " ".join(w for w in text.split() if w in units or (w == "of" and "ammunition" in units))


def test_money_and_percent() -> None:
    assert quantities("a deal worth $2 billion in aid", "en", "aid") == [("$2 billion", 2e9, "USD")]
    assert quantities("rose by 30% and then over 50 percent") == [("30%", 30, "%"), ("over 50 percent", 50, "%")]
    assert quantities("paid €3.5m for it") == [("€3.5m", 3.5e6, "EUR")]


def test_dates_times_and_model_names_are_skipped() -> None:
    text = "On 5 March 2024 at 10:30 two Su-27 jets flew; in 2023 no one came."
    assert quantities(text, "en", "jets") == []


def test_russian_numbers() -> None:
    text = "передала 4,8 млн снарядов, около миллиона боеприпасов, 1 000 000 рублей и 30%"
    assert quantities(text, "ru", "снарядов", "боеприпасов") == [
        ("4,8 млн снарядов", 4.8e6, "снарядов"),
        ("около миллиона боеприпасов", 1e6, "боеприпасов"),
        ("1 000 000 рублей", 1e6, "RUB"),
        ("30%", 30, "%"),
    ]
    assert quantities("встретились 5 марта 2023 года", "ru") == []


def test_hedges_and_denials() -> None:
    text = "Pyongyang has allegedly sent so-called volunteers, according to unnamed sources."
    assert [text[s:e] for s, e in find_hedges(text, 0, len(text), "en")] == [
        "allegedly",
        "so-called",
        "unnamed sources",
    ]
    ru = "КНДР якобы передала так называемых добровольцев, по неподтверждённым данным."
    assert [ru[s:e] for s, e in find_hedges(ru, 0, len(ru), "ru")] == [
        "якобы",
        "так называемых",
        "по неподтверждённым данным",
    ]
    assert has_denial_cue("has repeatedly denied", "en")
    assert has_denial_cue("неоднократно опровергал", "ru")
    assert not has_denial_cue("said", "en")
    assert has_denial_verdict("these reports are not true", "en")
    assert has_denial_verdict("сообщения не соответствуют действительности", "ru")
    assert not has_denial_verdict("the reports are accurate", "en")


def test_finish_trims_and_drops_short_contents() -> None:
    text = 'He said: "Sanctions have failed completely." He added: "No."'
    speaker = Speaker("he", 0, 2)
    drafts = [
        Draft(9, 44, speaker, "said", (0, 45)),  # quotes and the full stop are trimmed away
        Draft(53, 58, speaker, "added", (46, len(text))),  # "No" is too short to be a claim
    ]
    [claim] = finish(text, drafts, "en")
    assert claim.text == "Sanctions have failed completely"
    assert (claim.start, claim.end) == trim(text, 9, 44)
    assert not claim.denial and not claim.hedged
