"""Actor mentions for the corpus languages without a NER model here: Hindi (whose script has no capitals to find
names by), Portuguese and Bulgarian.

A word-level tagger (O / B / I): a softmax over single-word features of each word and its neighbours, in numpy
(``LexicalHead``), trained on the annotated mentions of SemEval-2025 Task 10 subtask 1. The annotators marked an
article's main actors, not every name, so the tagger learns which names the article is about. A mention is a run
of words whose probability of being in one is at least the tagger's threshold; a B word starts a new one.

``mentions/<lang>.npz`` is the head (``propscope.models.lexical``), ``mentions/config.json`` its threshold and the
cross-validated figures (``propscope train mention_tagger``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from propscope.models.lexical import WORD_CHAR, LexicalError, LexicalHead, load_lexical

MODEL_DIR = Path(__file__).parent / "mentions"
OUTSIDE, BEGIN, INSIDE = 0, 1, 2
LEAD_CHARS = 400  # words this early get a feature of their own (main actors are named early)
_WORD = re.compile(WORD_CHAR + "+")  # one-letter words too, unlike ``lexical.tokens``
_JOINS = re.compile(r"[ \t\u00a0]+|[-‐'’]")  # what may stand between two words of one name
# function words that never open or close a name: Hindi postpositions and conjunctions ("पश्चिम के" is "पश्चिम"),
# and Portuguese and Bulgarian prepositions, articles and conjunctions, which a low threshold lets into a run
# ("Estados Unidos e", "dos EUA"); whole words only, lower case
_EDGE_WORDS = (
    "के|की|का|को|से|में|ने|पर|और|तथा"
    "|e|ou|de|da|do|das|dos|a|o|as|os|em|no|na|nos|nas|com|para|por|pelo|pela|que"
    "|и|на|в|във|за|с|със|от|до|по|или|че|а"
)
_TRAILING = re.compile(rf"(?:[ \t\u00a0]+(?:{_EDGE_WORDS}))+$")
_LEADING = re.compile(rf"(?:(?:{_EDGE_WORDS})[ \t\u00a0]+)+")
_EDGE_ONLY = re.compile(rf"(?:{_EDGE_WORDS})(?:[ \t\u00a0]+(?:{_EDGE_WORDS}))*")
# months, which a dateline puts early in an article and the tagger then takes for a name ("नई दिल्ली, 12 मार्च")
_MONTH_NAMES = (
    "जनवरी फरवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर सितम्बर अक्टूबर नवंबर नवम्बर दिसंबर दिसम्बर",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "януари февруари март април май юни юли август септември октомври ноември декември",
)
_MONTHS = frozenset(word for names in _MONTH_NAMES for word in names.split())
# a particle and a capitalised word that go on a name ("Coreia do Norte", "Ursula von der Leyen")
_NAME_TAIL = re.compile(r"(?:[ \t\u00a0]+(?:de|da|do|dos|das|del|von|van|der|al))+[ \t\u00a0]+[A-ZÀ-ÝА-ЯЁ][\w'’-]*")


@dataclass(slots=True, frozen=True)
class Word:
    start: int
    end: int
    form: str  # lower-cased


def words(text: str) -> list[Word]:
    """The text's words with their offsets. NFC is applied per word, so the offsets stay the text's own."""
    return [Word(m.start(), m.end(), unicodedata.normalize("NFC", m.group()).lower()) for m in _WORD.finditer(text)]


def word_features(ws: list[Word], i: int, counts: Counter, text: str) -> list[str]:
    """Single-word features of word ``i``: its form, affixes, two neighbours on each side, how often the article
    uses it, whether it is capitalised, early, and the characters around it."""
    w = ws[i]
    out = [f"w={w.form}", f"s2={w.form[-2:]}", f"s3={w.form[-3:]}", f"pf2={w.form[:2]}"]
    for k in (1, 2):
        out.append(f"p{k}=" + (ws[i - k].form if i >= k else "<s>"))
        out.append(f"n{k}=" + (ws[i + k].form if i + k < len(ws) else "</s>"))
    c = counts[w.form]
    out.append("df=" + ("1" if c == 1 else "2" if c < 4 else "4"))
    out.append("cap" if text[w.start].isupper() else "nocap")
    out.append("lead" if w.start < LEAD_CHARS else "body")
    out.append("pb=" + text[max(0, w.start - 1) : w.start].strip())
    out.append("pa=" + text[w.end : w.end + 1].strip())
    return out


def text_features(text: str) -> tuple[list[Word], list[list[str]]]:
    """The words of ``text`` and each word's features."""
    ws = words(text)
    counts = Counter(w.form for w in ws)
    return ws, [word_features(ws, i, counts, text) for i in range(len(ws))]


def decode(text: str, ws: list[Word], probs: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """(start, end, best probability) of each run of words whose P(in a mention) reaches ``threshold``. A run goes
    on only over spaces, a hyphen or an apostrophe (never other punctuation or a line break), and a word more likely
    B than I starts a new one even right after another. A short lower-case word the tagger left out joins a run
    when the word after it goes on with it ("Lula da Silva")."""
    inside = 1.0 - probs[:, OUTSIDE]
    on = inside >= threshold
    spans: list[list] = []
    open_run = False
    for i, w in enumerate(ws):
        if not on[i] and not (open_run and _bridges(text, ws, probs, on, i)):
            open_run = False
            continue
        joined = open_run and _JOINS.fullmatch(text[spans[-1][1] : w.start]) is not None
        if joined and (probs[i, INSIDE] >= probs[i, BEGIN] or not on[i]):
            spans[-1][1], spans[-1][2] = w.end, max(spans[-1][2], float(inside[i]))
        else:
            spans.append([w.start, w.end, float(inside[i])])
        open_run = True
    out: list[tuple[int, int, float]] = []
    for s, e, p in spans:
        if text[s:e].lower() in _MONTHS or _EDGE_ONLY.fullmatch(text[s:e]):
            continue
        if out and s < out[-1][1]:  # inside the tail of the one before
            out[-1] = (out[-1][0], max(out[-1][1], e), max(out[-1][2], p))
        else:
            s, e = _trimmed(text, s, e)
            out.append((s, _with_tail(text, e), p))
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` moved in over function words that open or close the span (``decode`` drops a span of
    them alone)."""
    leading = _LEADING.match(text, start, end)
    if leading and leading.end() < end:
        start = leading.end()
    trailing = _TRAILING.search(text, start, end)
    return start, trailing.start() if trailing else end


def _with_tail(text: str, end: int) -> int:
    """``end`` moved past a particle and a capitalised word that go on the name ending there."""
    tail = _NAME_TAIL.match(text, end)
    return tail.end() if tail else end


def _bridges(text: str, ws: list[Word], probs: np.ndarray, on: np.ndarray, i: int) -> bool:
    """Whether word ``i``, below the threshold right after a run, is a connector inside a name: short, lower-case,
    and followed by a word that is on and more likely I than B."""
    w = ws[i]
    if len(w.form) > 3 or not text[w.start].islower() or i == 0 or i + 1 >= len(ws) or not on[i + 1]:
        return False
    gaps = (text[ws[i - 1].end : w.start], text[w.end : ws[i + 1].start])
    return all(_JOINS.fullmatch(g) for g in gaps) and bool(probs[i + 1, INSIDE] >= probs[i + 1, BEGIN])


@dataclass(slots=True)
class MentionTagger:
    head: LexicalHead  # multiclass over (O, B, I)
    threshold: float
    version: str

    def mentions(self, text: str) -> list[tuple[int, int, float]]:
        """Mention spans of ``text`` with their confidence."""
        ws, feats = text_features(text)
        if not ws:
            return []
        return decode(text, ws, self.head.score_rows(feats), self.threshold)


def load_tagger(folder: Path, language: str) -> MentionTagger | None:
    """The tagger for ``language`` in ``folder``, None when there is none. A damaged file raises LexicalError."""
    config_file = folder / "config.json"
    if not config_file.exists():
        return None
    config = json.loads(config_file.read_text(encoding="utf-8"))
    entry = config.get("languages", {}).get(language)
    if not entry:
        return None
    head = load_lexical(folder / entry["file"])
    if len(head.bias) != 3 or head.kind != "multiclass":
        raise LexicalError(f"{folder / entry['file']}: not a three-class (O, B, I) tagger")
    return MentionTagger(head, float(entry["threshold"]), str(config.get("version", "")))


@lru_cache(maxsize=8)
def shipped_tagger(language: str) -> MentionTagger | None:
    """The shipped tagger for ``language`` (lower-case code), None for languages without one."""
    return load_tagger(MODEL_DIR, language)


@lru_cache(maxsize=1)
def shipped_version() -> str:
    """The shipped taggers' version ("" when none ships), for the entities analyzer's model version."""
    config_file = MODEL_DIR / "config.json"
    if not config_file.exists():
        return ""
    return str(json.loads(config_file.read_text(encoding="utf-8")).get("version", ""))
