"""Which side of the Russia-Ukraine war an actor's name belongs to, and how an article treats each side.

Annotators cast actors by the article's side: where the West and Kyiv are the villains, Moscow is rarely one too.
The role heads read each mention on its own; ``coherence_features`` lets a small second stage see how the same
article casts the actors of each side, so one actor's role can follow from the others'.
The name lists are stems in the five SemEval-2025 languages (English, Russian, Bulgarian, Portuguese, Hindi),
matched in lower case; a name of neither side, or of both ("Russia-Ukraine talks"), gets neither.
"""

from __future__ import annotations

import re

import numpy as np

SIDES = ("russia", "west")
_STEMS = {
    "russia": (
        r"russia|russian|putin|kremlin|moscow|lavrov|shoigu|peskov|zakharova|medvedev|wagner|prigozhin|kadyrov"
        r"|gerasimov|belousov|nebenzia|росси|русия|руск|путин|кремл|москв|лавров|шойгу|песков|захаров|медведев"
        r"|rússia|russo|russa|moscovo|moscou|रूस|पुतिन|क्रेमलिन|मॉस्को"
    ),
    "west": (
        r"ukrain|zelensk|kyiv|kiev|nato|\bwest|\bus\b|u\.s\.|\busa\b|united states|america|biden|washington|\beu\b"
        r"|european|europe|brussels|blinken|britain|\buk\b|london|macron|scholz|leyen|stoltenberg|rutte|pentagon"
        r"|украин|украйн|зеленск|киев|нато|запад|сша|америк|байден|вашингтон|евросоюз|\bес\b|европ|брюксел"
        r"|брюссел|британ|лондон|ucrân|ucran|otan|ocident|\beua\b|estados unidos|améric|\bue\b|união europeia"
        r"|यूक्रेन|ज़ेलेंस्की|जेलेंस्की|नाटो|पश्चिम|अमेरिका|बाइडेन"
    ),
}
_PATTERNS = {side: re.compile(stems) for side, stems in _STEMS.items()}


def side_of(name: str) -> np.ndarray:
    """(len(SIDES),) one-hot of the side ``name`` belongs to; zeros for neither or both."""
    found = np.array([bool(_PATTERNS[s].search(name.lower())) for s in SIDES], dtype=np.float32)
    return found if found.sum() == 1 else np.zeros(len(SIDES), dtype=np.float32)


def coherence_features(main_p: np.ndarray, names: list[str], stance: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """The second stage's input for the actors of ONE article: each row's main-role probabilities (logs, also per
    language), its side, and, per side, the mean main-role probabilities of the article's other actors of that
    side (with a column saying whether there are any), alone and times the row's side; the article's ``stance``
    alone and times the side. ``languages``: the heads' language columns, one row per actor."""
    sides = np.stack([side_of(n) for n in names]) if names else np.zeros((0, len(SIDES)), np.float32)
    logs = np.log(main_p + 1e-6)
    per_language = (logs[:, None, :] * languages[:, :, None]).reshape(len(names), languages.shape[1] * logs.shape[1])
    others = np.zeros((len(names), len(SIDES) * (main_p.shape[1] + 1)), dtype=np.float32)
    for i in range(len(names)):
        others[i] = _others(main_p, names, sides, i)
    parts = [logs, languages, per_language, sides, others]
    parts += [sides[:, [s]] * others for s in range(len(SIDES))]
    parts += [stance, *(sides[:, [s]] * stance for s in range(len(SIDES)))]
    return np.hstack(parts).astype(np.float32)


def _others(main_p: np.ndarray, names: list[str], sides: np.ndarray, i: int) -> np.ndarray:
    """Per side: the mean main-role probabilities of the other actors of that side (other names), and 1 if any."""
    out = []
    for s in range(len(SIDES)):
        rows = [j for j in range(len(names)) if j != i and sides[j, s] and names[j].lower() != names[i].lower()]
        out.append(np.append(main_p[rows].mean(axis=0), 1.0) if rows else np.zeros(main_p.shape[1] + 1))
    return np.concatenate(out)
