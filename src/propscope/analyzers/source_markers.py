"""Rules that find where an article says who wrote it, where it came from and where to follow it.

English and Russian. Every rule is a regex compiled once at import; a match's span is its
``m`` group when it has one (the phrase without leading layout), else the whole match, and its
``value`` group, when present, is the name or address the phrase points to (used for the outlet).
Precision matters more than recall: news about Telegram is not a call to follow a channel,
so calls need an imperative at a sentence start, "us", or "our".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

BYLINE = "byline"
SOURCE_LINE = "source_line"
REPUBLICATION = "republication"
CHANNEL_CALL = "channel_call"
CENSORSHIP_CLAIM = "censorship_claim"
LINK = "link"
KINDS = (BYLINE, SOURCE_LINE, REPUBLICATION, CHANNEL_CALL, CENSORSHIP_CLAIM, LINK)


@dataclass(slots=True, frozen=True)
class Found:
    kind: str
    start: int
    end: int
    value: str | None = None


_I = re.IGNORECASE
_IM = re.IGNORECASE | re.MULTILINE
_UP = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐ"

# --- bylines -------------------------------------------------------------------------------
_NAME_WORD = rf"[{_UP}][\w'’.-]*"
_PARTICLE = r"(?:de|da|di|del|van|von|der|den|al|bin|ibn|la|le)"
_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,3}}"
# "By Monday, troops had ..." starts like a byline; a byline line is short and names no date.
_NOT_NAME = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july"
    r"|august|september|october|november|december|then|now|contrast|comparison|law|decree|order|far|default)\b",
    _I,
)
_DATE_TAIL = re.compile(
    r"[ \t,]+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b.*$|[ \t,]+(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b.*$"
)
_BYLINE_BY = re.compile(
    rf"^[ \t>*_|]*(?P<m>(?:(?:Written|Posted|Reported|Story|Words|Text|Report)[ \t]+)?[Bb]y[ \t]+"
    rf"(?P<value>{_NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*){_NAME})*))(?P<rest>[^\n]*)$",
    re.MULTILINE,
)
_BYLINE_LABEL = re.compile(
    r"^[ \t>*_|]*(?P<m>(?:Authors?|Writer|Reporter|Автор(?:ы|\s+материала|\s+статьи)?|Текст)[ \t]*(?::|—|–|-)[ \t]*"
    r"(?P<value>[^\s:][^\n]{0,80}?))[ \t.]*$",
    re.MULTILINE,
)
_MAX_BYLINE_LINE = 120

# --- where the article came from ---------------------------------------------------------
# The name or address after "published by/at ...": capitalised words, a domain or a URL.
_TOKEN = rf"(?:https?://[^\s<>\"'«»]*[^\s<>\"'«».,;:!?)]|[\w-]+(?:\.[\w-]+)+(?:/[^\s<>\"'«»]*[^\s<>\"'«».,;:!?)])?|(?-i:[{_UP}0-9])[\w'’&-]*)"
_VALUE = rf"(?P<value>(?:the[ \t]+)?{_TOKEN}(?:[ \t]+(?:(?:of|for|and|the|de|и)[ \t]+)?{_TOKEN}){{0,5}})"
_RU_VALUE = rf"(?P<value>{_TOKEN}(?:[ \t]+{_TOKEN}){{0,4}}|«[^»\n]{{1,60}}»)"

_SOURCE_LINE = re.compile(
    r"^[ \t>*_|]*(?P<m>(?:Sources?|Источник(?:и)?)[ \t]*:[ \t]*(?P<value>[^\s][^\n]{0,150}?))[ \t.]*$", re.MULTILINE
)
_SOURCE_PAREN = re.compile(r"\((?P<m>(?:Source|Источник)[ \t]*:[ \t]*(?P<value>[^)\n]{1,80}))\)")

_REPUBLICATION = [
    re.compile(
        r"(?P<m>this[ \t]+(?:article|story|piece|post|op-ed|report|interview|text)[ \t]+"
        r"(?:was|is|has[ \t]+been)[ \t]+(?:originally|first)[ \t]+(?:published|appeared|posted|ran)"
        rf"(?:[ \t]+(?:by|at|on|in)[ \t]+{_VALUE})?)",
        _I,
    ),
    re.compile(rf"(?P<m>originally[ \t]+(?:published|appeared|posted|ran)[ \t]+(?:by|at|on|in)[ \t]+{_VALUE})", _I),
    re.compile(
        rf"(?P<m>(?:republished|reprinted|reposted|cross-posted)(?:[ \t]+with[ \t]+(?:kind[ \t]+)?permission)?"
        rf"[ \t]+(?:from|of|courtesy[ \t]+of)[ \t]+{_VALUE})",
        _I,
    ),
    re.compile(
        r"(?P<m>(?:republished|reprinted|reposted|cross-posted)[ \t]+with[ \t]+(?:kind[ \t]+)?permission)",
        _I,
    ),
]
_RU_REPUBLICATION = [
    re.compile(rf"(?P<m>Перепечатк\w*(?:[ \t]+(?:с|из)[ \t]+(?:сайта[ \t]+|издания[ \t]+)?{_RU_VALUE})?)", _I),
    re.compile(
        r"(?P<m>(?:впервые|изначально|первоначально)[ \t]+(?:был[аио]?[ \t]+)?(?:опубликован\w*|вышл[аои]|вышел)"
        r"[ \t]+(?:на[ \t]+сайте|на|в)[ \t]+(?:(?:журнале|газете|издании|блоге)[ \t]+)?"
        rf"{_RU_VALUE})",
        _I,
    ),
    re.compile(rf"^[ \t>*_|]*(?P<m>Оригинал(?:[ \t]+(?:статьи|материала))?[ \t]*:[ \t]*{_RU_VALUE})", _IM),
]

# --- calls to follow a channel ---------------------------------------------------------------
_PLATFORM = (
    r"(?:Telegram|TG|VK|VKontakte|YouTube|Rumble|Odysee|Gab|Twitter|X|Truth[ \t]+Social|Facebook|Instagram|TikTok"
    r"|Substack|Dzen|BitChute|Gettr|WhatsApp|Viber|Rutube)"
)
_CHANNEL = r"(?:channels?|page|account|feed|group|chat)"
_SENTENCE_START = r"(?:^|(?<=[.!?…:]\s)|(?<=[.!?…][\"”»’')]\s))[^\w\n]{0,4}?"
_EN_CALLS = [
    # "Follow us on VK", "join us on Telegram"
    re.compile(
        rf"\b(?P<m>(?:follow|join|find|read|watch|subscribe[ \t]+to|message)[ \t]+us[ \t]+(?:on|in|at|via)[ \t]+"
        rf"(?:our[ \t]+)?(?:official[ \t]+)?{_PLATFORM}(?:[ \t-]{_CHANNEL})?)\b",
        _I,
    ),
    # Imperative at a sentence start: "Subscribe to RT on Telegram", "Stay tuned to our Telegram channel"
    re.compile(
        rf"{_SENTENCE_START}(?P<m>(?:please[ \t]+|don['’]t[ \t]+forget[ \t]+to[ \t]+|be[ \t]+sure[ \t]+to[ \t]+|"
        rf"make[ \t]+sure[ \t]+to[ \t]+|also[ \t]+)?(?:subscribe|stay[ \t]+tuned|follow|join|check[ \t]+out"
        rf"|get[ \t]+(?:our|the[ \t]+latest))\b[^.!?\n]{{0,40}}?(?:\b(?:on|to|in|at|via)[ \t]+"
        rf"(?:the[ \t]+)?|\b(?:our|my)[ \t]+)(?:official[ \t]+)?{_PLATFORM}(?:[ \t-]{_CHANNEL})?)\b",
        _IM,
    ),
    # "... on our Telegram channel", "our YouTube channel" (not "amplifying our Twitter account")
    re.compile(
        rf"\b(?P<m>(?:(?:on|to|in|at|via|join)[ \t]+our[ \t]+(?:official[ \t]+)?{_PLATFORM}(?:[ \t-]{_CHANNEL})?)"
        rf"|our[ \t]+(?:official[ \t]+)?{_PLATFORM}[ \t-]channels?)\b",
        _I,
    ),
]
_RU_PLATFORM = (
    r"(?:Telegram|Телеграм\w*|Телеграмм\w*|ТГ|VK|ВК|ВКонтакте|YouTube|Ютуб\w*|Дзен\w*|Rutube|Рутуб\w*|MAX"
    r"|Одноклассник\w*)"
)
_RU_CHANNEL = r"(?:канал(?:а|у|ом|е|ы|ов|ам|ами|ах)?)"
_RU_CALLS = [
    re.compile(
        r"(?<!\w)(?P<m>(?:подписывайтесь|подпишитесь|подписывайся|подпишись|присоединяйтесь|присоединяйся|читайте"
        rf"|следите|смотрите)(?!\w)[^.!?\n]{{0,40}}?(?:{_RU_PLATFORM}(?:[ \t-]?{_RU_CHANNEL})?"
        rf"|(?:на|в)[ \t]+(?:наш\w*[ \t]+)?{_RU_CHANNEL}))(?!\w)",
        _I,
    ),
    re.compile(
        r"(?<!\w)(?P<m>(?:(?:в|на|к)[ \t]+наш(?:ем|его|ему|им|и|их|у|ей)?[ \t]+(?:официальн\w+[ \t]+)?"
        rf"(?:{_RU_PLATFORM}(?:[ \t-]?{_RU_CHANNEL})?|{_RU_CHANNEL}))"
        rf"|наш(?:ем|его|ему|им|и|их|у|ей)?[ \t]+(?:официальн\w+[ \t]+)?{_RU_PLATFORM}[ \t-]?{_RU_CHANNEL})(?!\w)",
        _I,
    ),
]
_TELEGRAM_LINK = re.compile(
    r"(?<![\w@.-])(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/[\w+/-]*[\w]", _I
)

# --- claims of being censored ----------------------------------------------------------------
_EN_CENSOR_VERB = (
    r"(?:banned|blocked|censored|de-?platformed|shadow-?banned|silenced|suspended|removed|deleted|taken[ \t]+down"
    r"|restricted|throttled|demonetized|demonetised)"
)
# Platforms censor content by definition; a ban "in the EU" may be of pesticides, so geographic
# targets count only with a media word earlier in the sentence (see _MEDIA_CONTEXT).
_EN_PLATFORMS = (
    r"(?:the[ \t]+)?(?:Western[ \t]+(?:platforms|social[ \t]+media|tech[ \t]+\w+|media)|YouTube|Google"
    r"|Facebook|Meta|Twitter|Instagram|TikTok|Big[ \t]+Tech|tech[ \t]+giants|Silicon[ \t]+Valley"
    r"|social[ \t]+media(?:[ \t]+platforms)?)"
)
_EN_GEO = r"(?:the[ \t]+)?(?:EU|European[ \t]+Union|Europe|West)"
_EN_GEO_CENSORSHIP = re.compile(rf"\b(?P<m>{_EN_CENSOR_VERB}[ \t]+(?:in|by|across|throughout)[ \t]+{_EN_GEO})\b", _I)
_EN_CENSORSHIP = [
    re.compile(rf"\b(?P<m>{_EN_CENSOR_VERB}[ \t]+(?:in|by|on|from|across|throughout)[ \t]+{_EN_PLATFORMS})\b", _I),
    re.compile(
        r"\b(?P<m>(?:(?-i:[Ww]e|us)|our[ \t]+(?:channels?|site|website|page|account|videos?|content"
        r"|articles?|reporters?|journalists?|outlet|broadcasts?|app|posts?))[ \t]+(?:\w+[ \t]+){0,2}?"
        r"(?:were|was|have[ \t]+been|has[ \t]+been|are[ \t]+being"
        rf"|is[ \t]+being|got|get|keep[ \t]+getting)[ \t]+{_EN_CENSOR_VERB})\b",
        _I,
    ),
    re.compile(
        r"\b(?P<m>(?:they|the[ \t]+\w+)[ \t]+(?:don['’]t|do[ \t]+not|doesn['’]t)[ \t]+want[ \t]+you[ \t]+to"
        r"[ \t]+(?:know|see|hear|read|find[ \t]+out))\b",
        _I,
    ),
    re.compile(
        r"\b(?P<m>(?:what|the[ \t]+truth|facts?)[ \t]+(?:the[ \t]+)?(?:mainstream[ \t]+media|MSM|western[ \t]+media"
        r"|media)[ \t]+(?:won['’]t|will[ \t]+not|doesn['’]t|does[ \t]+not|don['’]t|do[ \t]+not)[ \t]+"
        r"(?:tell|show)[ \t]+you)\b",
        _I,
    ),
    re.compile(
        r"\b(?P<m>before[ \t]+(?:it|this|we|they)[ \t]+(?:gets?|is|are|'s|’s)[ \t]+"
        r"(?:banned|deleted|censored|removed|taken[ \t]+down|blocked))\b",
        _I,
    ),
    re.compile(
        r"\b(?P<m>(?:bypass|circumvent|get[ \t]+around|evade)[ \t]+(?:the[ \t]+)?"
        r"(?:(?!Russian|Chinese|Iranian|Kremlin|state|government)\w+[ \t]+)?"
        r"(?:censorship|blocking|blocks))\b",
        _I,
    ),
    re.compile(
        r"\b(?P<m>(?:Western|EU|European|Big[ \t]+Tech|YouTube|Google|Facebook|Twitter|Silicon[ \t]+Valley|liberal)"
        r"[ \t]+censor(?:ship|s))\b",
        _I,
    ),
]
_RU_PLATFORMS = (
    r"(?:западн\w+[ \t]+(?:платформ\w*|соцсет\w*|сет\w*|компани\w*|СМИ)|YouTube|Ютуб\w*|Google|Гугл\w*|Facebook"
    r"|Фейсбук\w*|Meta|Twitter|Твиттер\w*|соцсет\w*|платформ\w*)"
)
_RU_GEO = r"(?:ЕС|Евросоюз\w*|Европ\w*|Запад(?:е|а|ом|у)?|западн\w+[ \t]+(?:стран\w*|государств\w*))"
_RU_BLOCK_VERB = (
    r"(?:заблокирова\w*|запрещ[её]н\w*|запрети\w*|удал[её]н\w*|удалил\w*|забанил\w*|забанен\w*|цензурир\w*)"
)
_RU_CENSORSHIP = [
    re.compile(
        rf"(?<!\w)(?P<m>{_RU_BLOCK_VERB}[ \t]+(?:\w+[ \t]+){{0,2}}?(?:в|на|во|со[ \t]+стороны)[ \t]+"
        rf"{_RU_PLATFORMS})(?!\w)",
        _I,
    ),
    re.compile(
        r"(?<!\w)(?<!у[ \t])(?P<m>(?:нас|наш(?:|а|е|и|его|у)[ \t]+(?:канал\w*|сайт\w*|страниц\w*|аккаунт\w*|видео"
        r"|ресурс\w*|издани\w*|материал\w*|статьи))[ \t]+(?:\w+[ \t]+)?"
        r"(?:заблокирова\w*|забанил\w*|забанен\w*|удалил\w*|удал[её]н\w*))(?!\w)",
        _I,
    ),
    re.compile(
        r"(?<!\w)(?P<m>(?:западн\w+|европейск\w+|американск\w+|либеральн\w+)[ \t]+цензур\w*"
        r"|цензур\w*[ \t]+(?:со[ \t]+стороны[ \t]+)?(?:Запада|ЕС|Евросоюза|США|YouTube|Google"
        r"|западных[ \t]+\w+|соцсетей|платформ))(?!\w)",
        _I,
    ),
    re.compile(r"(?<!\w)(?P<m>(?:обойти|обход\w*)[ \t]+(?:\w+[ \t]+)?(?:блокировк\w*|цензур\w*))(?!\w)", _I),
    re.compile(
        r"(?<!\w)(?P<m>(?:о[ \t]+ч[её]м|то,?[ \t]+что)[ \t]+(?:от[ \t]+вас[ \t]+)?(?:молчат|скрывают)"
        r"(?:[ \t]+(?:западные|либеральные|мировые)?[ \t]*СМИ)?)(?!\w)",
        _I,
    ),
]

_RU_GEO_CENSORSHIP = re.compile(
    rf"(?<!\w)(?P<m>{_RU_BLOCK_VERB}[ \t]+(?:\w+[ \t]+){{0,2}}?(?:в|на|во|со[ \t]+стороны)[ \t]+"
    rf"(?:территории[ \t]+)?{_RU_GEO})(?!\w)",
    _I,
)
_MEDIA_CONTEXT = re.compile(
    r"\b(?:(?-i:[Ww]e|us|[Oo]ur|RT)|channels?|(?:web)?sites?|outlets?|media|Sputnik|broadcast\w*|TV|television"
    r"|newspapers?|books?|videos?|articles?|documentar(?:y|ies)|films?|journalists?|reporters?|accounts?|pages?"
    r"|platforms?|content|podcasts?|bloggers?|voices?)\b"
    r"|(?<!\w)(?:канал\w*|сайт\w*|СМИ|издани\w*|Спутник\w*|вещани\w*|телеканал\w*|нас|наш\w*|ресурс\w*|видео"
    r"|стать\w*|книг\w*|журналист\w*|материал\w*|эфир\w*|передач\w*|фильм\w*|аккаунт\w*|блогер\w*)(?!\w)",
    _I,
)
_SENTENCE_END = re.compile(r"[.!?\n][^.!?\n]*$")
_CONTEXT_CHARS = 120

# --- links -----------------------------------------------------------------------------------
_URL = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"'«»\[\]{}|\\^`]+", _I)
_TLD = (
    r"(?:com|org|net|ru|su|info|ua|by|kz|de|fr|uk|eu|io|me|tv|news|online|site|press|media|today|co|us|ca|au|in|cn"
    r"|ir|rs|bg|pl|cz|sk|hu|ro|md|ge|am|az|lt|lv|ee|fi|se|no|dk|nl|be|ch|at|it|es|pt|gr|tr|il|jp|world|live|space"
    r"|top|xyz|club|biz|gov|edu|int|mil|ly|to|app|blog|pro|global|ws|cc|рф)"
)
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@./-])(?:[^\W_][\w-]*\.)+{_TLD}(?![\w@-]|\.[^\W_])(?:/[^\s<>\"'«»()\[\]]*[^\s<>\"'«»()\[\].,;:!?])?"
)
_TRAILING = ".,;:!?)]}»\"'’”"

# Russian rules run only on text with Cyrillic letters; that halves the time on English articles.
_CYRILLIC = re.compile(r"[а-яё]", _I)
_SOURCE_RULES = (_SOURCE_LINE, _SOURCE_PAREN)


def _span(match: re.Match[str]) -> tuple[int, int]:
    return match.span("m") if "m" in match.re.groupindex else match.span()


def _value(match: re.Match[str]) -> str | None:
    if "value" not in match.re.groupindex or match.group("value") is None:
        return None
    return match.group("value").strip().rstrip(".,;:") or None


def _by_rules(text: str, kind: str, rules: tuple[re.Pattern[str], ...] | list[re.Pattern[str]]) -> list[Found]:
    found = []
    for rule in rules:
        for match in rule.finditer(text):
            start, end = _span(match)
            if end > start:
                found.append(Found(kind, start, end, _value(match)))
    return found


def find_geo_censorship(text: str, russian: bool) -> list[Found]:
    """ "banned in the EU" and the like, only after a media word in the same sentence."""
    found = []
    for rule in (_EN_GEO_CENSORSHIP, *((_RU_GEO_CENSORSHIP,) if russian else ())):
        for match in rule.finditer(text):
            start, end = match.span("m")
            before = text[max(0, start - _CONTEXT_CHARS) : start]
            cut = _SENTENCE_END.search(before)
            if _MEDIA_CONTEXT.search(before[cut.start() + 1 :] if cut else before):
                found.append(Found(CENSORSHIP_CLAIM, start, end))
    return found


def find_bylines(text: str) -> list[Found]:
    found = []
    for match in _BYLINE_BY.finditer(text):
        line = match.group(0).strip()
        if len(line) > _MAX_BYLINE_LINE or _NOT_NAME.match(match.group("value")):
            continue
        rest = match.group("rest").strip()
        # A byline may carry a dateline or outlet after it, but not a running sentence.
        if rest and not re.match(r"^(?:[,|/—–-]|\(|for\b|in\b|\d)", rest):
            continue
        start, end = match.span("m")
        value = match.group("value")
        date = _DATE_TAIL.search(value)  # "By Ann Lee, Star Tribune, September 26" -> drop the date
        if date:
            end -= len(value) - date.start()
            value = value[: date.start()]
        found.append(Found(BYLINE, start, end, value))
    found.extend(_by_rules(text, BYLINE, [_BYLINE_LABEL]))
    return found


def find_links(text: str) -> list[Found]:
    """URLs, then bare domains outside them ("rt.com"); e-mail addresses are not links."""
    found = []
    taken: list[tuple[int, int]] = []
    for match in _URL.finditer(text):
        start, end = match.span()
        url = match.group(0)
        # Keep a closing bracket that closes one opened inside the URL (Wikipedia-style paths).
        while url and url[-1] in _TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
            url = url[:-1]
        end = start + len(url)
        if "." in url:
            found.append(Found(LINK, start, end, url))
            taken.append((start, end))
    starts = [s for s, _ in taken]  # URL spans come in order and do not overlap
    for match in _BARE_DOMAIN.finditer(text):
        start, end = match.span()
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or start >= taken[i][1]:
            found.append(Found(LINK, start, end, match.group(0)))
    return found


def find_channel_calls(text: str, russian: bool = True) -> list[Found]:
    found = _by_rules(text, CHANNEL_CALL, (*_EN_CALLS, *(_RU_CALLS if russian else ())))
    found.extend(Found(CHANNEL_CALL, *m.span(), m.group(0)) for m in _TELEGRAM_LINK.finditer(text))
    return found


@lru_cache(maxsize=32)
def markers_of(text: str) -> tuple[Found, ...]:
    """``find_markers``, remembered for the last texts: the source analyzer and the actor finder both read them."""
    return tuple(find_markers(text))


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Bylines, source lines, republication notes, channel calls and links ("By Viktor Lebedev", "This article was
    first published on ..."): they say who wrote or carries the article, so they frame no actor and argue no
    narrative."""
    kinds = {BYLINE, SOURCE_LINE, REPUBLICATION, CHANNEL_CALL, LINK}
    return [(f.start, f.end) for f in markers_of(text) if f.kind in kinds]


def find_markers(text: str) -> list[Found]:
    """Every marker in ``text``, sorted by position; overlapping markers of one kind are merged."""
    russian = _CYRILLIC.search(text) is not None
    found = [
        *find_bylines(text),
        *_by_rules(text, SOURCE_LINE, _SOURCE_RULES),
        *_by_rules(text, REPUBLICATION, (*_REPUBLICATION, *(_RU_REPUBLICATION if russian else ()))),
        *find_channel_calls(text, russian),
        *_by_rules(text, CENSORSHIP_CLAIM, (*_EN_CENSORSHIP, *(_RU_CENSORSHIP if russian else ()))),
        *find_geo_censorship(text, russian),
        *find_links(text),
    ]
    return _merge_overlaps(found)


def _merge_overlaps(found: list[Found]) -> list[Found]:
    """Overlapping markers of one kind become one marker over their union (the longer one's value)."""
    merged: list[Found] = []
    for item in sorted(found, key=lambda f: (f.kind, f.start, -f.end)):
        last = merged[-1] if merged else None
        if last is None or last.kind != item.kind or item.start >= last.end:
            merged.append(item)
            continue
        value = last.value if last.end - last.start >= item.end - item.start else item.value
        merged[-1] = Found(last.kind, last.start, max(last.end, item.end), value or last.value or item.value)
    return sorted(merged, key=lambda f: (f.start, f.end, f.kind))
