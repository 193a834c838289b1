"""English claims from the spaCy dependency parse: direct quotes, reported speech, "according to X", and
unattributed sentences that carry numbers or reporting hedges ("reportedly").

Rules, not a model: every claim points at the words that made it one (a speech verb and its subject, a quote, a
number), which a fact-checker can check at a glance. Precision is preferred over recall.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from propscope.analyzers.claim_drafts import Antecedents, Draft, salient_quantities, speaker_at, trim
from propscope.models.spacy_en import lemma, pipe_paragraphs
from propscope.schema import Speaker

Token = Any  # spacy.tokens.Token; spaCy is imported lazily by the model loader

# Verbs that report speech or a stated position; content is their clausal complement.
SAY_VERBS = {
    "say", "tell", "claim", "announce", "warn", "state", "report", "add", "insist", "allege", "assert", "stress",
    "note", "declare", "argue", "confirm", "explain", "emphasize", "emphasise", "write", "admit", "acknowledge",
    "reiterate", "believe", "estimate", "assess", "conclude", "predict", "promise", "vow", "pledge", "reveal",
    "disclose", "maintain", "contend", "boast", "complain", "point", "suggest", "accuse", "charge", "testify",
    "underline", "recall", "threaten", "inform", "publish", "quote", "deny", "reject", "dismiss",
    "refute", "rebuff", "rebut", "debunk",
}  # fmt: skip
# Verbs whose direct object is the content ("announced new sanctions", "denied these reports").
OBJECT_VERBS = {
    "announce", "claim", "report", "confirm", "deny", "reject", "dismiss", "refute", "rebuff", "rebut", "debunk",
    "allege", "reveal", "disclose", "predict", "promise", "estimate",
}  # fmt: skip
# Verbs after which the rest of the sentence is the statement even when the parse shows no clause.
_SAY_PLAIN = {"say", "tell", "claim", "warn", "add", "insist", "state", "stress", "note", "argue", "write"}
DENIAL_VERBS = {"deny", "reject", "dismiss", "refute", "rebuff", "rebut", "debunk", "disprove"}
# "point" only reports speech as "point out"; "quote" only with "as saying".
_NEEDS_PARTICLE = {"point": "out"}
_INTERVIEW_NOUNS = {"interview", "statement", "briefing", "conversation", "address", "speech", "op-ed"}
_SPEAKER_CUT = {"relcl", "acl", "advcl", "punct", "cc", "conj"}
_PRONOUNS_TO_RESOLVE = {"he", "she", "him", "her"}
_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|«([^»\n]+)»")
# Hedges that present a sentence as hearsay, so it is a claim even without a named speaker ("so-called" is not).
_HEARSAY = re.compile(
    r"\b(?:allegedly|reportedly|supposedly|purportedly|it (?:is|was|has been) (?:claimed|alleged|reported|rumou?red)"
    r"|unconfirmed reports?|(?:unnamed|anonymous) sources?)\b",
    re.IGNORECASE,
)
_MIN_QUOTE_WORDS = 4  # shorter quotes are scare quotes ("special operation"), not statements


def extract(text: str) -> tuple[list[Draft], Callable[[int], str | None]]:
    """Claim drafts for ``text`` and a part-of-speech lookup (char offset -> UD tag) for quantity units."""
    pos: dict[int, str] = {}
    antecedents = Antecedents()  # people named or speaking so far, for "he said"
    drafts: list[Draft] = []
    for offset, doc in pipe_paragraphs(text):
        pos.update((offset + t.idx, t.pos_) for t in doc)
        paragraph = _Paragraph(text, offset, doc, antecedents, pos.get)
        # A name inside a quote is someone the speaker talks about, not a speaker "he" can point back to.
        quotes = [paragraph.absolute(s, e) for s, e in paragraph.quotes]
        mentions = _person_mentions(text, offset, doc)
        antecedents.persons.extend(p for p in mentions if not any(s <= p[0] < e for s, e in quotes))
        drafts.extend(paragraph.drafts())
    return drafts, pos.get


def _person_mentions(text: str, offset: int, doc: Any) -> list[tuple[int, int, str]]:
    """PERSON entities, widened over name words the model left out ("Dmitry" in "Dmitry Peskov")."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        first = ent.start
        while (
            first > 0
            and doc[first - 1].pos_ == "PROPN"
            and doc[first - 1].text.istitle()
            and doc[first - 1].ent_type_ not in ("ORG", "GPE", "NORP")
        ):
            first -= 1
        start, end = offset + doc[first].idx, offset + ent.end_char
        out.append((start, end, text[start:end]))
    return out


def _is_assertion(sent: Any) -> bool:
    """A full sentence with a verb, not a headline fragment, caption or list item."""
    words = [t for t in sent if not t.is_punct]
    return len(words) >= 6 and any(t.pos_ in ("VERB", "AUX") for t in words)


class _Paragraph:
    """Finds the drafts of one spaCy-parsed paragraph; offsets are shifted into the whole text."""

    def __init__(
        self, text: str, offset: int, doc: Any, antecedents: Antecedents, pos_at: Callable[[int], str | None]
    ) -> None:
        self.text, self.offset, self.doc, self.antecedents, self.pos_at = text, offset, doc, antecedents, pos_at
        self.quotes = self._quotes()
        self.used: set[int] = set()  # token indices of speech verbs already turned into a claim

    def drafts(self) -> list[Draft]:
        out = [d for q in self.quotes if (d := self._quote_draft(*q))]
        out += [d for t in self.doc if t.i not in self.used and (d := self._speech_draft(t))]
        out += [d for t in self.doc if t.lower_ == "according" and (d := self._according_draft(t))]
        return out + self._unattributed(out)

    # --- spans -------------------------------------------------------------------------------------------------
    def absolute(self, start: int, end: int) -> tuple[int, int]:
        return self.offset + start, self.offset + end

    def _tokens_span(self, tokens: list[Token]) -> tuple[int, int]:
        return self.absolute(min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens))

    def _quotes(self) -> list[tuple[int, int]]:
        """(start, end) of quoted statements inside the paragraph (paragraph-relative char offsets)."""
        out = []
        for m in _QUOTE.finditer(self.doc.text):
            group = next(g for g in range(1, 4) if m.group(g) is not None)
            if len(m.group(group).split()) >= _MIN_QUOTE_WORDS:
                out.append((m.start(group), m.end(group)))
        return out

    def _in_quote(self, token: Token) -> bool:
        return any(s <= token.idx < e for s, e in self.quotes)

    def _scope(self, *tokens: Token) -> tuple[int, int]:
        sents = [t.sent for t in tokens]
        return self.absolute(min(s.start_char for s in sents), max(s.end_char for s in sents))

    # --- direct quotes -----------------------------------------------------------------------------------------
    def _quote_draft(self, qstart: int, qend: int) -> Draft | None:
        inside = [t for t in self.doc if qstart <= t.idx < qend]
        if not inside:
            return None
        first, last = inside[0], inside[-1]
        candidates = [
            t
            for t in (*first.sent, *last.sent)
            if self._is_speech_verb(t) and not self._in_quote(t) and t.i not in self.used
        ]
        if not candidates:
            return None
        verb = min(candidates, key=lambda t: abs(t.idx - qend) if t.idx >= qend else qstart - t.idx)
        start, end = self.absolute(qstart, qend)
        reported = self._content(verb)
        if reported and reported[0] < start - 2 and reported[1] >= end:
            return None  # a quoted phrase inside reported speech: the whole reported clause is the claim
        self.used.add(verb.i)
        return Draft(start, end, self._speaker(verb), self._cue(verb), self._scope(first, last, verb),
                     lemma(verb) in DENIAL_VERBS)  # fmt: skip

    # --- reported speech ---------------------------------------------------------------------------------------
    def _is_speech_verb(self, t: Token) -> bool:
        if not (t.pos_ in ("VERB", "AUX") or self._mistagged_verb(t)):
            return False
        base = lemma(t)
        if base not in SAY_VERBS:
            return False
        particle = _NEEDS_PARTICLE.get(base)
        return particle is None or any(c.dep_ == "prt" and c.lower_ == particle for c in t.children)

    @staticmethod
    def _mistagged_verb(t: Token) -> bool:
        """The small model reads "Western media claim that ..." as a noun phrase; a root noun with a that-clause
        is a verb there."""
        return (
            t.dep_ == "ROOT"
            and t.pos_ == "NOUN"
            and any(
                c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                for c in t.children
            )
        )

    def _speech_draft(self, verb: Token) -> Draft | None:
        if not self._is_speech_verb(verb) or self._in_quote(verb) or self._not_asserted(verb):
            return None
        content = self._content(verb) or self._rest_of_sentence(verb)
        if content is None:
            return None
        self.used.add(verb.i)
        start, end = content
        speaker = self._speaker(verb)
        if speaker is None and not self._expletive_subject(verb) and verb.dep_ not in ("ROOT", "parataxis", "advcl"):
            return None  # "the reports he denied": no statement of its own
        return Draft(start, end, speaker, self._cue(verb), self._scope(verb), lemma(verb) in DENIAL_VERBS)

    @staticmethod
    def _not_asserted(verb: Token) -> bool:
        """ "did not say", "had yet to confirm", "refused to comment": no statement was made."""
        negated = any(c.dep_ == "neg" for c in verb.children) and lemma(verb) not in DENIAL_VERBS
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        return negated or infinitive

    def _rest_of_sentence(self, verb: Token) -> tuple[int, int] | None:
        """ "Raupp said if you spot a tick ...": the parser found no clause, but the words after a sentence's
        main speech verb are what was said."""
        if verb.dep_ != "ROOT" or lemma(verb) not in _SAY_PLAIN or self._subject_of(verb) is None:
            return None
        rest = [t for t in verb.sent if t.i > verb.i and not (t.head is verb and t.dep_ in ("dative", "dobj", "prt"))]
        rest = [t for t in rest if not any(a.head is verb and a.dep_ == "prep" for a in [t, *t.ancestors])]
        if len([t for t in rest if not t.is_punct]) < 4:
            return None
        return self._tokens_span(rest)

    def _content(self, verb: Token) -> tuple[int, int] | None:
        children = list(verb.children)
        clause = next((c for c in children if c.dep_ == "ccomp" or (c.dep_ == "acl" and verb.pos_ == "NOUN")), None)
        if clause is not None:
            return self._clause_span(clause, exclude=verb)
        if verb.dep_ in ("parataxis",) or (
            verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in children)
        ):
            # "Pyongyang, he said, has sent ..." / "As Peskov noted, ...": the content is the clause around the verb.
            return self._clause_span(verb.head, exclude=verb)
        if lemma(verb) in OBJECT_VERBS:
            obj = next((c for c in children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None and obj.pos_ != "PRON":
                # "rejected the allegations as a provocation": the verdict is the speaker's, not the content
                verdict = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"), None)
                return self._clause_span(obj, exclude=verdict or verb)
        return None

    def _clause_span(self, head: Token, exclude: Token) -> tuple[int, int] | None:
        """Span of ``head``'s subtree without ``exclude``'s own subtree, a leading "that" or edge punctuation."""
        skip = {t.i for t in exclude.subtree} if exclude in head.subtree else set()
        tokens = [t for t in head.subtree if t.i not in skip]
        if skip:  # keep the longer side when the excluded verb sits inside the clause
            before = [t for t in tokens if t.i < exclude.i]
            after = [t for t in tokens if t.i > exclude.i]
            tokens = before if len(before) >= len(after) else after
        while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_punct):
            tokens = tokens[1:]
        if not tokens:
            return None
        return self._tokens_span(tokens)

    def _subject_of(self, verb: Token) -> Token | None:
        for t in (verb, *[a for a in verb.ancestors]):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            agent = next((c for c in t.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
            if subj is not None:
                if t.dep_ == "relcl" and subj.lower_ in ("who", "which", "that"):
                    return t.head
                return subj
            if t.dep_ not in ("conj", "advcl", "xcomp"):
                return None
        return None

    def _expletive_subject(self, verb: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "expl", "nsubj") and c.lower_ == "it" for c in verb.children)

    def _speaker(self, verb: Token) -> Speaker | None:
        if verb.pos_ == "NOUN":  # a mistagged verb: its subject was parsed as the noun's modifiers
            lefts = [t for c in verb.lefts if c.dep_ in ("compound", "amod", "det", "poss") for t in c.subtree]
            return speaker_at(self.text, *self._tokens_span(lefts)) if lefts else None
        subj = self._subject_of(verb)
        if subj is None or (subj.lower_ == "it" and subj.dep_ in ("nsubjpass", "expl")):
            return None
        return self._speaker_from(subj)

    def _speaker_from(self, head: Token) -> Speaker | None:
        cut = {t.i for c in head.children if c.dep_ in _SPEAKER_CUT and c.i > head.i for t in c.subtree}
        tokens = [t for t in head.subtree if t.i not in cut]
        if len(tokens) > 12:  # a long clause: keep just the noun phrase core
            tokens = [t for t in head.lefts if t.dep_ in ("compound", "amod", "det", "poss")] + [head]
        start, end = self._tokens_span(tokens)
        if head.pos_ == "PRON" and head.lower_ in _PRONOUNS_TO_RESOLVE:
            return speaker_at(self.text, start, end, self.antecedents.resolve(start))
        speaker = speaker_at(self.text, start, end)
        self.antecedents.add_speaker(speaker)
        return speaker

    def _cue(self, verb: Token) -> str:
        words = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "prt") and c.i < verb.i]
        words = [c for c in words if all(t.dep_ in ("aux", "auxpass", "neg", "advmod") for t in c.subtree)]
        first = verb.i
        for c in sorted(words, key=lambda t: -t.i):
            if c.i == first - 1:
                first = c.i
        tokens = list(self.doc[first : verb.i + 1])
        tokens += [c for c in verb.children if c.dep_ == "prt"]
        if lemma(verb) == "tell":
            tokens += [c for c in verb.children if c.dep_ in ("dative", "dobj") and c.pos_ in ("NOUN", "PROPN")]
        cue = " ".join(t.text for t in sorted(tokens, key=lambda t: t.i))
        cue = cue[0].lower() + cue[1:] if cue[:1].isupper() and cue[1:2].islower() and verb.i == first else cue
        occasion = self._occasion(verb)
        return f"{cue} {occasion[0].lower()}{occasion[1:]}" if occasion else cue

    def _occasion(self, verb: Token) -> str | None:
        """The occasion ("in an interview with Bloomberg") attached to the speech verb."""
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "during", "at", "on"):
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and lemma(pobj) in _INTERVIEW_NOUNS:
                return self.doc[prep.left_edge.i : prep.right_edge.i + 1].text
        return None

    # --- according to X ----------------------------------------------------------------------------------------
    def _according_draft(self, according: Token) -> Draft | None:
        to = next((c for c in according.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None or according.head is according or self._in_quote(according):
            return None
        if self._is_speech_verb(according.head):
            return None  # "X said, according to Reuters": the speech verb's claim already names who said it
        content = self._clause_span(according.head, exclude=according)
        if content is None:
            return None
        speaker = self._speaker_from(source)
        return Draft(*content, speaker, "according to", self._scope(according))

    # --- unattributed ------------------------------------------------------------------------------------------
    def _unattributed(self, attributed: list[Draft]) -> list[Draft]:
        """Sentences with no attribution that carry a number, or hedge as hearsay ("reportedly")."""
        covered = [d.scope for d in attributed]
        out = []
        for sent in self.doc.sents:
            start, end = trim(self.text, *self.absolute(sent.start_char, sent.end_char))
            if start >= end or any(s < end and start < e for s, e in covered) or not _is_assertion(sent):
                continue
            if _HEARSAY.search(self.text, start, end) or salient_quantities(self.text, start, end, "en", self.pos_at):
                out.append(Draft(start, end, None, None, (start, end)))
        return out
