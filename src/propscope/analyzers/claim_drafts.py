"""Turning found attributions into ``Claim`` results, the same way for every language.

The language modules (``claims_en``, ``claims_ru``) only say where the content, the speaker and the cue are; this
module trims the spans, looks for hedges, denial wording and quantities, and drops duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from propscope.analyzers.claim_markers import find_hedges, has_denial_cue, has_denial_verdict, is_modifier_hedge
from propscope.analyzers.quantities import Found, PosAt, find_quantities
from propscope.schema import Claim, Speaker

# Trimmed from both ends of a claim: quotes, dashes and sentence punctuation are not part of what was said.
TRIM_CHARS = " \t\r\n\"'“”„‟«»‘’‚‹›,.;:!?—–-…"
_MIN_WORDS = 3  # shorter contents ("it", "this") say nothing on their own


@dataclass(slots=True)
class Draft:
    """Where one claim is: ``start..end`` the content, ``scope`` the sentence(s) around it with the attribution."""

    start: int
    end: int
    speaker: Speaker | None
    cue: str | None
    scope: tuple[int, int]
    denial: bool = False  # set when the cue itself denies (deny, reject, опровергнуть)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return start, end


def speaker_at(text: str, start: int, end: int, name: str | None = None) -> Speaker | None:
    start, end = trim(text, start, end)
    if start >= end:
        return None
    return Speaker(name=name or text[start:end], start=start, end=end)


_SPEAKER_MEMORY = 800  # chars: how far back "he said" may point to the last named speaker


class Antecedents:
    """Whom "he"/"он" or "his"/"его" points back to: the last person who spoke, if recent, else the last person named.

    Preferring the last speaker handles "Zelensky rejected Orbán's idea. In his words, ..." where the nearest
    name (Orbán) is the wrong one.
    """

    def __init__(self) -> None:
        self.persons: list[tuple[int, int, str]] = []  # (start, end, name) of person mentions, in text order
        self.speakers: list[tuple[int, str]] = []  # (start, person name) of named speakers

    def add_speaker(self, speaker: Speaker | None) -> None:
        if speaker is None:
            return
        inside = [p for p in self.persons if speaker.start <= p[0] and p[1] <= speaker.end]
        if inside:
            self.speakers.append((speaker.start, max(inside, key=lambda p: p[1] - p[0])[2]))

    def resolve(self, before: int) -> str | None:
        speakers = [s for s in self.speakers if before - _SPEAKER_MEMORY <= s[0] < before]
        if speakers:
            return max(speakers)[1]
        earlier = [p for p in self.persons if p[1] <= before]
        return earlier[-1][2] if earlier else None


def finish(text: str, drafts: list[Draft], language: str, pos_at: PosAt | None = None) -> list[Claim]:
    """Claims from drafts, in text order, without empty or repeated spans."""
    claims: dict[tuple[int, int], Claim] = {}
    for draft in drafts:
        claim = _claim(text, draft, language, pos_at)
        if claim is None:
            continue
        key = (claim.start, claim.end)
        if key not in claims or (claims[key].speaker is None and claim.speaker is not None):
            claims[key] = claim
    return sorted(claims.values(), key=lambda c: (c.start, c.end))


def _claim(text: str, draft: Draft, language: str, pos_at: PosAt | None) -> Claim | None:
    start, end = trim(text, draft.start, draft.end)
    if start >= end:
        return None
    quantities = find_quantities(text, start, end, language, pos_at)
    if len(text[start:end].split()) < _MIN_WORDS and not quantities and not draft.denial:
        return None
    scope_start, scope_end = min(draft.scope[0], start), max(draft.scope[1], end)
    hedges = [
        text[s:e]
        for s, e in find_hedges(text, scope_start, _next_sentence_end(text, scope_end), language)
        if start <= s < end or not is_modifier_hedge(text[s:e])
    ]
    speaker = draft.speaker
    if speaker is not None and speaker.start < end and start < speaker.end:
        speaker = None  # a subject found inside the content is not who said it
    attributed = speaker is not None or draft.cue is not None
    denial = draft.denial or (
        attributed and (has_denial_cue(draft.cue or "", language) or has_denial_verdict(text[start:end], language))
    )
    return Claim(
        start=start,
        end=end,
        text=text[start:end],
        speaker=speaker,
        cue=draft.cue,
        hedged=bool(hedges),
        denial=denial,
        quantities=[f.quantity for f in quantities],
        hedges=list(dict.fromkeys(hedges)),
    )


def _next_sentence_end(text: str, end: int) -> int:
    """End of a short sentence right after ``end`` ("There was no official confirmation."), else ``end``: such a
    sentence hedges the claim before it."""
    m = _SHORT_SENTENCE.match(text, end)
    return m.end() if m else end


_SHORT_SENTENCE = re.compile(r"[\s\"”».!?]*[^.!?\n]{0,80}?(?:confirm|verif|подтвер|провер)[^.!?\n]{0,60}[.!?]")


def salient_quantities(text: str, start: int, end: int, language: str, pos_at: PosAt | None) -> list[Found]:
    """Quantities that on their own make a sentence a claim (not small written numbers)."""
    return [f for f in find_quantities(text, start, end, language, pos_at) if f.salient]
