"""Russian claims: the same rules as ``claims_en`` on natasha's dependency parse (UD relations), with lemmas and
parts of speech from pymorphy3.

Only sentences that can hold an attribution (a speech verb, a quote, "по словам"/"по данным") are parsed: the natasha
syntax model is the slow step, and most news sentences need no parse. natasha's morphology tagger and NER are not
used: pymorphy3's readings are enough for verbs, unit nouns and the names a pronoun speaker ("он") resolves to.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from propscope.analyzers.claim_drafts import Antecedents, Draft, salient_quantities, speaker_at, trim
from propscope.analyzers.quantities import morph_analyzer, russian_lemma

SAY_VERBS = {
    "заявить", "заявлять", "сообщить", "сообщать", "сказать", "говорить", "отметить", "отмечать", "подчеркнуть",
    "подчёркивать", "подчеркивать", "предупредить", "предупреждать", "добавить", "добавлять", "объявить",
    "объявлять", "утверждать", "признать", "признавать", "пояснить", "пояснять", "указать", "указывать", "считать",
    "написать", "писать", "рассказать", "рассказывать", "уверить", "уверять", "заверить", "заверять", "настаивать",
    "опровергнуть", "опровергать", "отрицать", "отвергнуть", "отвергать", "подтвердить", "подтверждать",
    "напомнить", "констатировать", "полагать", "предположить", "допустить", "пригрозить", "пообещать", "обещать",
    "обвинить", "обвинять", "передать", "процитировать", "информировать", "оценить", "убеждать", "сообщаться",
}  # fmt: skip
OBJECT_VERBS = {
    "опровергнуть", "опровергать", "отрицать", "отвергнуть", "отвергать", "подтвердить", "подтверждать",
    "объявить", "объявлять",
}  # fmt: skip
DENIAL_VERBS = {"опровергнуть", "опровергать", "отрицать", "отвергнуть", "отвергать"}
# "передать" is also "hand over" (КНДР передала снаряды): it reports speech only with a clause or a quote.
_CLAUSE_ONLY = {"передать", "оценить", "обвинить", "обвинять"}
# "по словам X", "по данным X", "по информации X": the source noun after "по".
_SOURCE_NOUNS = {
    "словам", "данным", "информации", "сведениям", "мнению", "оценкам", "оценке", "утверждению", "утверждениям",
    "сообщениям", "подсчётам", "подсчетам", "заявлению", "версии",
}  # fmt: skip
_OCCASION_LEMMAS = {"интервью", "заявление", "брифинг", "эфир", "пресс-конференция", "беседа", "выступление"}
_PRONOUNS_TO_RESOLVE = {"он", "она"}
_POSSESSIVES = {"его", "её", "ее", "их"}
_SPEAKER_CUT = {"acl", "acl:relcl", "punct", "parataxis", "cc", "conj", "advcl"}
_QUOTE = re.compile(r"«([^»\n]+)»|“([^”\n]+)”|„([^“”\n]+)[“”]|\"([^\"\n]+)\"")
_HEARSAY = re.compile(
    r"(?<!\w)(?:якобы|предположительно|будто бы|по (?:неподтвержд[её]нным|непроверенным|некоторым|неофициальным) "
    r"(?:данным|сведениям|сообщениям)|по слухам|(?:неназванн|анонимн)\w* источник\w*)(?!\w)",
    re.IGNORECASE,
)
_MIN_QUOTE_WORDS = 4
_POS = {
    "NOUN": "NOUN", "ADJF": "ADJ", "ADJS": "ADJ", "PRTF": "ADJ", "PRTS": "VERB", "COMP": "ADJ", "VERB": "VERB",
    "INFN": "VERB", "GRND": "VERB", "NUMR": "NUM", "NPRO": "PRON", "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART",
    "ADVB": "ADV", "PRED": "ADV", "INTJ": "INTJ",
}  # fmt: skip


@dataclass(slots=True)
class _Tok:
    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    is_name: bool = False
    rel: str = ""
    head: int = -1
    children: list[int] = field(default_factory=list)

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(slots=True)
class _Sent:
    start: int
    end: int
    toks: list[_Tok]


_lock = threading.Lock()
_models: dict[str, Any] = {}


def _syntax_parser() -> Any:
    """The natasha syntax parser, loaded once."""
    with _lock:
        if "syntax" not in _models:
            from natasha import NewsEmbedding, NewsSyntaxParser

            _models["syntax"] = NewsSyntaxParser(NewsEmbedding())
        return _models["syntax"]


@lru_cache(maxsize=50_000)
def _reading(word: str) -> tuple[str, bool]:
    """(UD part of speech, is a person's name) from pymorphy3's most likely reading."""
    if not re.search(r"[а-яё]", word, re.IGNORECASE):
        return ("PUNCT" if not any(ch.isalnum() for ch in word) else ("NUM" if word[0].isdigit() else "X")), False
    parses = morph_analyzer().parse(word)
    parse = parses[0]
    grammemes = set(str(parse.tag).replace(" ", ",").split(","))
    # Capitalised, a name in any reading: "Песков" reads first as "песок", but a capital says surname.
    is_name = (
        word[:1].isupper()
        and str(parse.tag.POS) in ("NOUN", "None")
        and any({"Name", "Surn", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")) for p in parses)
    )
    if is_name or {"Geox", "Orgn"} & grammemes:
        return "PROPN", is_name
    return _POS.get(str(parse.tag.POS), "X"), False


def extract(text: str) -> tuple[list[Draft], Callable[[int], str | None]]:
    """Claim drafts for Russian ``text`` and a part-of-speech lookup (char offset -> UD tag)."""
    sents = _sentences(text)
    pos = {t.start: t.pos for s in sents for t in s.toks}
    quotes = _quotes(text)
    to_parse = [s for s in sents if _may_attribute(s, quotes)]
    _parse(to_parse)
    finder = _Finder(text, quotes, _person_names(text, sents))
    drafts = finder.quote_drafts(to_parse)
    for sent in to_parse:
        drafts.extend(finder.sentence_drafts(sent))
    drafts.extend(_unattributed(text, sents, drafts, pos.get))
    return drafts, pos.get


def _sentences(text: str) -> list[_Sent]:
    from razdel import sentenize, tokenize

    out = []
    for sent in sentenize(text):
        toks = [
            _Tok(i, sent.start + t.start, sent.start + t.stop, t.text, russian_lemma(t.text.lower()), *_reading(t.text))
            for i, t in enumerate(tokenize(sent.text))
        ]
        if toks:
            out.append(_Sent(sent.start, sent.stop, toks))
    return out


def _person_names(text: str, sents: list[_Sent]) -> list[tuple[int, int, str]]:
    """Runs of first names, patronymics and surnames ("Дмитрий Песков"), for resolving "он заявил"."""
    out: list[tuple[int, int, str]] = []
    for sent in sents:
        run: list[_Tok] = []
        for tok in [*sent.toks, None]:
            # A capitalised word right after a first name is its surname even when pymorphy3 does not know it.
            surname = run and tok is not None and tok.text[:1].isupper() and tok.pos in ("NOUN", "PROPN", "ADJ", "X")
            if tok is not None and (tok.is_name or surname):
                run.append(tok)
                continue
            if run:
                out.append((run[0].start, run[-1].end, text[run[0].start : run[-1].end]))
            run = []
    return out


def _quotes(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _QUOTE.finditer(text):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        if len(m.group(group).split()) >= _MIN_QUOTE_WORDS:
            out.append((m.start(group), m.end(group)))
    return out


def _may_attribute(sent: _Sent, quotes: list[tuple[int, int]]) -> bool:
    if any(sent.start <= e and s <= sent.end for s, e in quotes):
        return True
    return any(t.lemma in SAY_VERBS or t.low in _SOURCE_NOUNS for t in sent.toks)


def _parse(sents: list[_Sent]) -> None:
    """Fill ``rel``, ``head`` and ``children`` from the natasha syntax parser, all sentences in one batch."""
    if not sents:
        return
    from threadpoolctl import threadpool_limits

    # slovnet runs numpy matrix products: OpenBLAS threads spin against each other on a busy 2-core machine
    # (measured 15x slower than one thread), and one sentence batch is too small to gain from them.
    with threadpool_limits(limits=1, user_api="blas"):
        markups = list(_syntax_parser().map([[t.text for t in s.toks] for s in sents]))
    for sent, markup in zip(sents, markups, strict=True):
        for tok, node in zip(sent.toks, markup.tokens, strict=True):
            tok.rel, tok.head = node.rel, int(node.head_id) - 1
        for tok in sent.toks:
            if 0 <= tok.head < len(sent.toks) and tok.head != tok.i:
                sent.toks[tok.head].children.append(tok.i)


class _Finder:
    def __init__(self, text: str, quotes: list[tuple[int, int]], persons: list[tuple[int, int, str]]) -> None:
        self.text, self.quotes = text, quotes
        self.antecedents = Antecedents()
        # A name inside a quote is someone the speaker talks about, not a speaker "он" can point back to.
        self.antecedents.persons = [p for p in persons if not any(s <= p[0] < e for s, e in quotes)]
        self.used: set[int] = set()  # start offsets of speech verbs already turned into a claim

    # --- tree helpers ------------------------------------------------------------------------------------------
    @staticmethod
    def _subtree(sent: _Sent, i: int) -> list[_Tok]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(sent.toks[j])
            stack.extend(sent.toks[j].children)
        return sorted(out, key=lambda t: t.i)

    def _children(self, sent: _Sent, tok: _Tok) -> list[_Tok]:
        return [sent.toks[c] for c in tok.children]

    def _in_quote(self, tok: _Tok) -> bool:
        return any(s <= tok.start < e for s, e in self.quotes)

    def _span(self, sent: _Sent, head: _Tok, exclude: _Tok | None) -> tuple[int, int] | None:
        """``head``'s subtree without ``exclude``'s subtree (the longer side), a leading "что" or punctuation."""
        tokens = self._subtree(sent, head.i)
        if exclude is not None and exclude in tokens:
            skip = {t.i for t in self._subtree(sent, exclude.i)}
            before = [t for t in tokens if t.i < exclude.i and t.i not in skip]
            after = [t for t in tokens if t.i > exclude.i and t.i not in skip]
            tokens = before if len(before) >= len(after) else after
        while tokens and (tokens[0].rel == "mark" or tokens[0].pos == "PUNCT"):
            tokens = tokens[1:]
        if not tokens:
            return None
        return tokens[0].start, tokens[-1].end

    # --- speech verbs ------------------------------------------------------------------------------------------
    @staticmethod
    def _is_speech_verb(tok: _Tok) -> bool:
        return tok.lemma in SAY_VERBS and tok.pos == "VERB"

    def sentence_drafts(self, sent: _Sent) -> list[Draft]:
        out = []
        for tok in sent.toks:
            if self._is_speech_verb(tok) and tok.start not in self.used and not self._in_quote(tok):
                draft = self._speech_draft(sent, tok)
            elif tok.low in _SOURCE_NOUNS and not self._in_quote(tok):
                draft = self._source_draft(sent, tok)
            else:
                continue
            if draft is not None:
                out.append(draft)
        return out

    def _speech_draft(self, sent: _Sent, verb: _Tok) -> Draft | None:
        particles = {c.low for c in self._children(sent, verb)}
        if "ни" in particles or ("не" in particles and verb.lemma not in DENIAL_VERBS):
            return None  # "что бы ни рассказывал", "не сообщил": nothing was asserted
        subject = self._subject(sent, verb)
        if subject is not None and subject.low in ("вы", "ты"):
            return None  # "вы говорите, что ...": a quoted retort, not a statement by a named speaker
        content = self._content(sent, verb)
        if content is None:
            return None
        self.used.add(verb.start)
        return Draft(*content, self._speaker(sent, verb), self._cue(sent, verb), (sent.start, sent.end),
                     verb.lemma in DENIAL_VERBS)  # fmt: skip

    def _content(self, sent: _Sent, verb: _Tok) -> tuple[int, int] | None:
        children = self._children(sent, verb)
        clause = next((c for c in children if c.rel == "ccomp"), None)
        if clause is not None:
            return self._span(sent, clause, exclude=None)
        head = sent.toks[verb.head] if 0 <= verb.head < len(sent.toks) else None
        if (
            head is not None
            and verb.rel in ("parataxis", "advcl")
            and (verb.rel == "parataxis" or any(c.rel == "mark" and c.low == "как" for c in children))
        ):
            return self._span(sent, head, exclude=verb)  # "Москва, заявил он, ..." / "Как отметил министр, ..."
        if verb.lemma in OBJECT_VERBS:
            obj = next((c for c in children if c.rel == "obj" and c.pos != "PRON"), None)
            if obj is not None:
                return self._span(sent, obj, exclude=None)
        return None

    def _subject(self, sent: _Sent, verb: _Tok) -> _Tok | None:
        tok = verb
        for _ in range(len(sent.toks)):
            subj = next((c for c in self._children(sent, tok) if c.rel in ("nsubj", "nsubj:pass")), None)
            if subj is not None:
                return subj
            if tok.rel not in ("conj", "advcl", "xcomp") or not 0 <= tok.head < len(sent.toks):
                return None
            tok = sent.toks[tok.head]
        return None

    def _speaker(self, sent: _Sent, verb: _Tok) -> Any:
        subj = self._subject(sent, verb)
        return None if subj is None else self._speaker_from(sent, subj)

    def _speaker_from(self, sent: _Sent, head: _Tok) -> Any:
        if head.pos not in ("NOUN", "PROPN", "PRON", "ADJ", "X"):
            return None  # "А заверил": the parser took a conjunction for the subject
        if any(c.rel == "case" for c in self._children(sent, head)):
            return None  # "в Астане подчеркнул": a place with a preposition is not who spoke
        cut = {t.i for c in self._children(sent, head) if c.rel in _SPEAKER_CUT and c.i > head.i
               for t in self._subtree(sent, c.i)}  # fmt: skip
        tokens = [t for t in self._subtree(sent, head.i) if t.i not in cut]
        if len(tokens) > 12:
            tokens = [head]
        start, end = tokens[0].start, tokens[-1].end
        if head.pos == "PRON" and head.low in _PRONOUNS_TO_RESOLVE:
            return speaker_at(self.text, start, end, self.antecedents.resolve(start))
        speaker = speaker_at(self.text, start, end)
        self.antecedents.add_speaker(speaker)
        return speaker

    def _cue(self, sent: _Sent, verb: _Tok) -> str:
        first = verb.i
        mods = {c.i for c in self._children(sent, verb) if c.rel in ("advmod", "aux") and c.i < verb.i}
        while first - 1 in mods:
            first -= 1
        cue = self.text[sent.toks[first].start : verb.end]
        for c in self._children(sent, verb):
            if c.rel == "obl" and c.lemma in _OCCASION_LEMMAS:
                start, end = self._span(sent, c, exclude=None) or (c.start, c.end)
                cue += " " + _lower_first(self.text[start:end])
        return _lower_first(cue)

    # --- по словам X / по данным X -----------------------------------------------------------------------------
    def _source_draft(self, sent: _Sent, noun: _Tok) -> Draft | None:
        children = self._children(sent, noun)
        if not any(c.rel == "case" and c.low == "по" for c in children):
            return None
        if not 0 <= noun.head < len(sent.toks):
            return None
        content = self._span(sent, sent.toks[noun.head], exclude=noun)
        if content is None:
            return None
        source = next((c for c in children if c.rel in ("nmod", "appos") and c.i > noun.i), None)
        possessor = next((c for c in children if c.i < noun.i and c.low in _POSSESSIVES), None)
        if source is not None:  # "по словам Пескова"
            speaker = self._speaker_from(sent, source)
            cue_end = self._subtree(sent, source.i)[0].start
        elif possessor is not None:  # "по его словам": he is the last person named
            name = self.antecedents.resolve(possessor.start) if possessor.low in ("его", "её", "ее") else None
            speaker, cue_end = speaker_at(self.text, possessor.start, possessor.end, name), noun.end
        else:
            speaker, cue_end = None, noun.end
        first = min([c.start for c in children if c.rel in ("case", "amod", "det")] + [noun.start])
        cue = _lower_first(self.text[first:cue_end].strip(" ,"))
        return Draft(*content, speaker, cue, (sent.start, sent.end))

    # --- direct quotes -----------------------------------------------------------------------------------------
    def quote_drafts(self, sents: list[_Sent]) -> list[Draft]:
        """Quotes whose sentence names a speaker with a speech verb outside the quote ("«...», — заявил он")."""
        out = []
        for qstart, qend in self.quotes:
            around = [s for s in sents if s.start <= qend and qstart <= s.end]
            verbs = [
                (s, t)
                for s in around
                for t in s.toks
                if self._is_speech_verb(t) and not self._in_quote(t) and t.start not in self.used
            ]
            if not verbs:
                continue
            sent, verb = min(verbs, key=lambda st: st[1].start - qend if st[1].start >= qend else qstart - st[1].end)
            reported = self._content(sent, verb)
            if reported and reported[0] < qstart - 2 and reported[1] >= qend:
                continue  # a quoted phrase inside reported speech: the whole reported clause is the claim
            self.used.add(verb.start)
            scope = (min(s.start for s in around), max(s.end for s in around))
            out.append(Draft(qstart, qend, self._speaker(sent, verb), self._cue(sent, verb), scope,
                             verb.lemma in DENIAL_VERBS))  # fmt: skip
        return out


def _lower_first(words: str) -> str:
    """Lower-case a cue's first word ("По словам" -> "по словам"); acronyms ("США сообщили") keep their case."""
    first = words.split(" ", 1)[0]
    capitalised = first[:1].isupper() and (len(first) == 1 or first[1:].islower())
    return words[0].lower() + words[1:] if capitalised else words


def _unattributed(
    text: str, sents: list[_Sent], attributed: list[Draft], pos_at: Callable[[int], str | None]
) -> list[Draft]:
    covered = [d.scope for d in attributed]
    out = []
    for sent in sents:
        start, end = trim(text, sent.start, sent.end)
        if start >= end or any(s < end and start < e for s, e in covered):
            continue
        if _HEARSAY.search(text, start, end) or salient_quantities(text, start, end, "ru", pos_at):
            out.append(Draft(start, end, None, None, (start, end)))
    return out
