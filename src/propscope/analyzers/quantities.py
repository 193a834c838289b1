"""Numbers with their units in English and Russian text: "about 1 million pieces of ammunition" -> 1e6 "pieces of
ammunition", "4,8 млн снарядов" -> 4.8e6 "снарядов", "$2 billion" -> 2e9 "USD", "30%" -> 30 "%".

A quantity is read word by word: approximation words, a currency sign, digits or number words, a scale word
("million", "млн"), then a percent sign, a currency word or a unit noun phrase. Unit words are taken while the
part-of-speech callback calls them nouns or adjectives, so "12,000 troops have arrived" stops at "troops".
Years, dates, times and model names ("Su-27") are skipped: they make a sentence look numeric without being a claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from propscope.schema import Quantity

PosAt = Callable[[int], str | None]  # char offset of a word start -> UD part of speech, or None when unknown

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*|[$€£₽%]")

_APPROX = {
    "en": (
        "about", "around", "approximately", "roughly", "nearly", "almost", "some", "up to", "more than", "over",
        "at least", "less than", "fewer than", "as many as", "as much as", "an estimated", "estimated", "under",
    ),
    "ru": (
        "около", "примерно", "почти", "более", "свыше", "до", "не менее", "не более", "порядка", "менее", "больше",
        "меньше", "приблизительно", "более чем", "по меньшей мере", "как минимум", "не меньше",
    ),
}  # fmt: skip

_SCALES = {
    "en": {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "bn": 1e9, "mn": 1e6},
    "ru": {"тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12},
}
# Short scales that only count right after a currency amount ("$2m"): alone they may be metres or thousands of a unit.
_CURRENCY_SCALES = {"m": 1e6, "k": 1e3, "b": 1e9}

_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_RU_NUMBERS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15, "двадцать": 20, "тридцать": 30,
    "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
    "сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600, "семьсот": 700,
    "восемьсот": 800, "девятьсот": 900,
}  # fmt: skip
_RU_SCALE_LEMMAS = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}

_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB"}
_CURRENCY_WORDS = {
    "en": {"dollar": "USD", "euro": "EUR", "pound": "GBP", "ruble": "RUB", "rouble": "RUB", "won": "KRW",
           "yuan": "CNY"},
    "ru": {"доллар": "USD", "евро": "EUR", "рубль": "RUB", "руб": "RUB", "вона": "KRW", "юань": "CNY"},
}  # fmt: skip
_PERCENT = {"en": ("percent", "per cent", "percentage points"), "ru": ("процент", "процента", "процентов")}


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MONTHS = {
    "en": _wordset(
        "january february march april may june july august september october november december jan feb mar apr "
        "jun jul aug sep sept oct nov dec"
    ),
    "ru": _wordset(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря январь февраль март "
        "апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
    ),
}
_YEAR_WORDS = {"en": ("year", "years", "bc", "ad"), "ru": ("год", "года", "году", "годом", "годах", "годов", "г")}
_UNIT_POS = {"NOUN", "PROPN", "ADJ", "NUM"}
_UNIT_END_POS = {"NOUN", "PROPN"}
_MAX_UNIT_WORDS = {"en": 4, "ru": 3}


@dataclass(frozen=True, slots=True)
class Found:
    """A quantity at ``start..end``; ``salient`` when it alone makes a sentence a numeric claim."""

    start: int
    end: int
    quantity: Quantity
    salient: bool


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()


def find_quantities(text: str, start: int, end: int, language: str, pos_at: PosAt | None = None) -> list[Found]:
    """Quantities in ``text[start:end]``, offsets into ``text``; ``language`` is "en" or "ru"."""
    words = _words(text, start, end, language)
    found: list[Found] = []
    i = 0
    while i < len(words):
        hit = _read_at(text, words, i, language, pos_at or (lambda _: None))
        if hit is None:
            i += 1
            continue
        quantity, next_i = hit
        if quantity is not None:
            found.append(quantity)
        i = next_i
    return found


def _words(text: str, start: int, end: int, language: str) -> list[_Word]:
    words = [_Word(m.start() + start, m.end() + start, m.group()) for m in _WORD.finditer(text[start:end])]
    if language != "ru":
        return words
    # Russian groups thousands with spaces: "1 000 000" is one number.
    merged: list[_Word] = []
    for w in words:
        prev = merged[-1] if merged else None
        joinable = prev and prev.text[-1:].isdigit() and re.fullmatch(r"\d{3}(?:[.,]\d+)?", w.text)
        if joinable and text[prev.end : w.start] in (" ", "\u00a0", "\u202f") and re.fullmatch(r"[\d ]+", prev.text):
            merged[-1] = _Word(prev.start, w.end, prev.text + " " + w.text)
        else:
            merged.append(w)
    return merged


def _phrase_at(words: list[_Word], i: int, phrases: tuple[str, ...]) -> int:
    """How many words starting at ``i`` form one of ``phrases`` (longest match), 0 when none."""
    if i >= len(words):
        return 0
    best = 0
    for parts in _by_first_word(phrases).get(words[i].low, ()):
        if best < len(parts) and all(w.low == p for w, p in zip(words[i : i + len(parts)], parts, strict=False)):
            best = len(parts) if i + len(parts) <= len(words) else best
    return best


@lru_cache(maxsize=16)
def _by_first_word(phrases: tuple[str, ...]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = tuple(phrase.split())
        index.setdefault(parts[0], []).append(parts)
    return index


def _read_at(text: str, words: list[_Word], i: int, language: str, pos_at: PosAt) -> tuple[Found | None, int] | None:
    """(quantity or None when it was skipped, index after it) for a number starting at word ``i``; None if none."""
    first = i
    i += _phrase_at(words, i, _APPROX[language])
    currency = None
    if i < len(words) and words[i].text in _CURRENCY_SIGNS:
        currency = _CURRENCY_SIGNS[words[i].text]
        i += 1
    number_at = i
    number = _read_number(words, i, language)
    if number is None:
        return None
    value, i, has_digits = number
    if has_digits and currency is None and _is_part_of_name(text, words[number_at]):
        return None, i
    value, i, has_scale = _read_scale(words, i, language, value, currency is not None)
    if currency is None and not has_scale and _is_date(words, first, i, language, value):
        return None, i
    unit, i, unit_end = _read_unit(text, words, i, language, pos_at, currency)
    if not has_digits and not has_scale and currency is None and unit is None:
        return None, i  # a bare number word ("no one", "the two") is no quantity
    if _is_year(words[number_at].text, value, has_scale, currency) and (unit is None or unit[:1].isupper()):
        return None, i  # "in 2023", "Climate Strike 2023", "2022 will go down in history"
    end = unit_end if unit_end is not None else words[i - 1].end
    if end < len(text) and text[end] == "." and words[i - 1].low in _SCALES[language] and unit is not None:
        end += 1
    kind_unit = currency or unit
    salient = (has_digits or has_scale or kind_unit == "%" or currency is not None) and (
        kind_unit is not None or has_scale or value >= 10
    )
    num_start = words[first].start
    return Found(num_start, end, Quantity(text[num_start:end], value, kind_unit), salient), i


def _read_number(words: list[_Word], i: int, language: str) -> tuple[float, int, bool] | None:
    """(value, index after, written with digits) for digits or number words at ``i``."""
    if i >= len(words):
        return None
    w = words[i]
    if w.text[0].isdigit():
        if i + 1 < len(words) and words[i + 1].text[0].isdigit() and language == "en":
            return None  # "2023 100" or a phone number: not one quantity
        return _digits_value(w.text, language), i + 1, True
    if language == "en":
        return _read_english_words(words, i)
    return _read_russian_words(words, i)


def _digits_value(token: str, language: str) -> float:
    token = token.replace(" ", "")
    if language == "ru":
        return float(token.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        return float(token.replace(",", ""))
    return float(token.replace(",", "."))


def _read_english_words(words: list[_Word], i: int) -> tuple[float, int, bool] | None:
    if words[i].low == "a" and i + 1 < len(words) and words[i + 1].low in ("thousand", "million", "billion"):
        return 1.0, i + 1, False
    total, j = 0.0, i
    while j < len(words):
        parts = words[j].low.split("-")
        if all(p in _EN_NUMBERS for p in parts):
            total += sum(_EN_NUMBERS[p] for p in parts)
        elif words[j].low == "hundred" and j > i:
            total *= 100
        else:
            break
        j += 1
    return (total, j, False) if j > i else None


def _read_russian_words(words: list[_Word], i: int) -> tuple[float, int, bool] | None:
    lemma = russian_lemma(words[i].low)
    if lemma in _RU_SCALE_LEMMAS:
        return 1.0, i, False  # "около миллиона": the scale word alone means one of it
    total, j = 0.0, i
    while j < len(words) and (v := _RU_NUMBERS.get(russian_lemma(words[j].low))) is not None:
        total += v
        j += 1
    return (total, j, False) if j > i else None


def _read_scale(
    words: list[_Word], i: int, language: str, value: float, after_currency: bool
) -> tuple[float, int, bool]:
    if i >= len(words):
        return value, i, False
    low = words[i].low
    scale = _SCALES[language].get(low)
    if scale is None and language == "ru":
        scale = _RU_SCALE_LEMMAS.get(russian_lemma(low))
    if scale is None and after_currency:
        scale = _CURRENCY_SCALES.get(low)
    if scale is None:
        return value, i, False
    return value * scale, i + 1, True


def _read_unit(
    text: str, words: list[_Word], i: int, language: str, pos_at: PosAt, currency: str | None
) -> tuple[str | None, int, int | None]:
    """(unit, index after, char end of the unit words or None when the unit is a sign or code)."""
    if i < len(words) and words[i].text == "%":
        return "%", i + 1, words[i].end
    n = _phrase_at(words, i, _PERCENT[language])
    if n:
        return "%", i + n, words[i + n - 1].end
    if i < len(words) and (code := _currency_word(words[i].low, language)):
        return code, i + 1, words[i].end
    if currency is not None:
        return None, i, None
    return _unit_words(text, words, i, language, pos_at)


def _currency_word(low: str, language: str) -> str | None:
    table = _CURRENCY_WORDS[language]
    if language == "ru":
        return table.get(russian_lemma(low)) or table.get(low)
    return table.get(low.rstrip("s")) or table.get(low)


def _unit_words(
    text: str, words: list[_Word], i: int, language: str, pos_at: PosAt
) -> tuple[str | None, int, int | None]:
    taken: list[_Word] = []
    j = i
    while j < len(words) and len(taken) < _MAX_UNIT_WORDS[language]:
        w = words[j]
        if not w.text[0].isalpha() or text[words[j - 1].end : w.start].strip():
            break  # punctuation between words ends the unit
        pos = pos_at(w.start)
        link = language == "en" and w.low == "of" and taken and j + 1 < len(words)
        if link and pos_at(words[j + 1].start) not in ("NOUN", "ADJ"):
            break  # "of" joins a unit only to a following noun: "pieces of ammunition"
        if (
            not link
            and not (pos in _UNIT_POS and pos != "NUM")
            and not (pos is None and _fallback_unit_word(w, language))
        ):
            break
        taken.append(w)
        j += 1
        if language == "ru" and pos == "NOUN":
            break  # Russian units are adjectives and one noun: "новых бригад", not "бригад неукомплектованных"
    # Russian uses adjectives as nouns for people ("военных", "раненых"), so a unit may end on one there.
    end_pos = _UNIT_END_POS | {None} | ({"ADJ"} if language == "ru" else set())
    while taken and (taken[-1].low == "of" or pos_at(taken[-1].start) not in end_pos):
        taken.pop()
    if not taken:
        return None, i, None
    return text[taken[0].start : taken[-1].end], i + len(taken), taken[-1].end


_STOP = {
    "en": _wordset(
        "a an the to from in on at by for with and or but that which who since as than into is are was were be been "
        "has have had will would could should may might of per this these those it its"
    ),
    "ru": _wordset("в во на к ко из с со от до по за для и а но что как чем это был была были было"),
}


def _fallback_unit_word(w: _Word, language: str) -> bool:
    return w.low not in _STOP[language] and w.text.isalpha() and w.low not in _MONTHS[language]


def _is_year(token: str, value: float, has_scale: bool, currency: str | None) -> bool:
    return bool(re.fullmatch(r"\d{4}", token)) and 1800 <= value <= 2100 and not has_scale and currency is None


def _is_part_of_name(text: str, word: _Word) -> bool:
    """Digits glued to letters or hyphens ("Su-27", "G7", "5G") or a time ("10:30") are not quantities."""
    before = text[word.start - 1] if word.start > 0 else " "
    after = text[word.end] if word.end < len(text) else " "
    after2 = text[word.end + 1] if word.end + 1 < len(text) else " "
    compound = after in "-‐" and after2.isalpha()  # "25-year-old", "3-day"
    return before.isalpha() or before in "-‐/#№:" or after.isalpha() or (after in ":/" and after2.isdigit()) or compound


_YEAR_PREPS = {"en": ("in", "since", "by", "until", "from", "of", "before", "after"), "ru": ("в", "с", "до", "к")}


def _is_date(words: list[_Word], first: int, after: int, language: str, value: float) -> bool:
    """A day next to a month, a number before "year", or a year-like number after "in"/"since" or before a name."""
    prev = words[first - 1].low if first > 0 else ""
    nxt = words[after] if after < len(words) else None
    months = _MONTHS[language]
    if prev in months or (nxt and (nxt.low in months or nxt.low in _YEAR_WORDS[language])):
        return True
    if not (re.fullmatch(r"\d{4}", words[after - 1].text) and 1800 <= value <= 2100):
        return False
    return nxt is None or prev in _YEAR_PREPS[language] or nxt.text[0].isupper() or not nxt.text[0].isalpha()


@lru_cache(maxsize=50_000)
def russian_lemma(word: str) -> str:
    """Normal form of a Russian word by pymorphy3; the word itself for non-Cyrillic words."""
    if not re.search(r"[а-яё]", word):
        return word
    return morph_analyzer().parse(word)[0].normal_form


@lru_cache(maxsize=1)
def morph_analyzer() -> Any:  # pymorphy3.MorphAnalyzer, imported lazily
    import pymorphy3

    return pymorphy3.MorphAnalyzer()
