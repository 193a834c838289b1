"""Words that hedge a claim ("allegedly", "якобы") or deny it ("rejected ... as", "опроверг"), English and Russian.

Hedges are looked for in the whole sentence around a claim (the hedge often sits in the attribution: "according to
unnamed sources"); denial wording is looked for in the attribution part, or as a verdict inside the reported
content ("... are not true", "не соответствуют действительности").
"""

from __future__ import annotations

import re

_HEDGES = {
    "en": [
        r"allegedly",
        r"reportedly",
        r"supposedly",
        r"purportedly",
        r"ostensibly",
        r"presumably",
        r"so-called",
        r"unconfirmed",
        r"unverified",
        r"unsubstantiated",
        r"it (?:is|was|has been|had been) (?:claimed|alleged|reported|rumou?red|said|believed|suggested)",
        r"(?:is|are|was|were) (?:said|believed|thought|rumou?red|alleged|claimed|reported) to",
        r"there (?:was|is|has been) no (?:official |independent )?confirmation",
        r"(?:could|can) not be (?:independently )?(?:verified|confirmed)",
        r"(?:cannot|could not|couldn't) (?:be )?(?:independently )?(?:verify|verified|confirm|confirmed)",
        r"without (?:providing |offering |giving )?(?:any )?evidence",
        r"(?:unnamed|anonymous|unidentified) (?:sources?|officials?|insiders?)",
        r"rumou?rs? (?:has it|say|suggest)",
    ],
    "ru": [
        r"якобы",
        r"предположительно",
        r"по (?:неподтвержд[её]нным|непроверенным|некоторым|неофициальным) (?:данным|сведениям|сообщениям)",
        r"так называем\w+",
        r"будто бы",
        r"дескать",
        r"по слухам",
        r"(?:неназванн|анонимн|неким)\w* (?:источник|собеседник)\w*",
        r"(?:официального |независимого )?подтверждени\w+ (?:этому |этим сведениям )?(?:нет|не поступало|не было)",
        r"не (?:получил\w*|нашл\w*|имеют|имеет) (?:официального |независимого )?подтверждени\w+",
        r"не удалось (?:независимо )?(?:проверить|подтвердить)",
        r"без (?:каких-либо |всяких )?доказательств",
        r"неподтвержд[её]нн\w+",
    ],
}

_DENIAL_CUES = {
    "en": [
        r"deni(?:ed|es|al)|deny(?:ing)?",
        r"reject(?:ed|s|ing)?",
        r"dismiss(?:ed|es|ing)?",
        r"refut(?:ed|es|ing|e)",
        r"rebut(?:ted|s|ting)?|rebuff(?:ed|s|ing)?",
        r"debunk(?:ed|s|ing)?",
        r"disprov(?:ed|es|ing|e)",
        r"call(?:ed|s|ing)? (?:them|it|this|that|(?:the|these|those|such) [\w-]+(?: [\w-]+)?)"
        r" (?:an? )?(?:\w+ )?(?:slander|lies?|fakes?|fake news|fabrications?|baseless|groundless|nonsense|provocation|"
        r"propaganda|disinformation|absurd|false)",
    ],
    "ru": [
        r"опроверг\w*",
        r"отрица\w*|отверг\w*|отвергл\w*",
        r"назва\w* (?:\w+ )?(?:\w+ )?(?:клеветой|ложью|фейк\w*|вброс\w*|провокаци\w+|абсурд\w*|бред\w*|выдумк\w+|"
        r"домысл\w+|чушью|дезинформаци\w+|неправдой)",
    ],
}

_DENIAL_VERDICTS = {
    "en": [
        r"(?:is|are|was|were) (?:simply |completely |absolutely )?(?:not true|untrue|false|baseless|groundless|"
        r"fake|lies|a lie|slander|fabricated|a fabrication|nonsense)",
        r"(?:has|have|had) no basis in (?:fact|reality)",
    ],
    "ru": [
        r"не соответству\w+ действительности",
        r"(?:это|всё это|все это) (?:—\s*)?(?:ложь|клевета|фейк|провокация|вымысел|дезинформация|чушь)",
        r"(?:является|являются) (?:ложью|фейк\w*|клеветой|вымыслом|провокацией)",
        r"не имеют? (?:ничего общего с действительностью|под собой (?:никаких )?оснований)",
    ],
}


def _compile(table: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    return {lang: re.compile(r"(?<!\w)(?:" + "|".join(ps) + r")(?!\w)", re.IGNORECASE) for lang, ps in table.items()}


HEDGE_PATTERNS = _compile(_HEDGES)
DENIAL_CUE_PATTERNS = _compile(_DENIAL_CUES)
DENIAL_VERDICT_PATTERNS = _compile(_DENIAL_VERDICTS)


def find_hedges(text: str, start: int, end: int, language: str) -> list[tuple[int, int]]:
    """(start, end) of each hedge in ``text[start:end]``."""
    pattern = HEDGE_PATTERNS.get(language)
    if pattern is None:
        return []
    return [(m.start() + start, m.end() + start) for m in pattern.finditer(text[start:end])]


def is_modifier_hedge(hedge: str) -> bool:
    """Whether the hedge doubts only the words after it, so it hedges a claim only from inside the claim."""
    return hedge.lower().startswith(("so-called", "так называем"))


def has_denial_cue(text: str, language: str) -> bool:
    """Whether attribution words such as "has repeatedly denied" or "опроверг" deny what they introduce."""
    pattern = DENIAL_CUE_PATTERNS.get(language)
    return bool(pattern and pattern.search(text))


def has_denial_verdict(text: str, language: str) -> bool:
    """Whether reported content calls something untrue ("the reports are false")."""
    pattern = DENIAL_VERDICT_PATTERNS.get(language)
    return bool(pattern and pattern.search(text))
