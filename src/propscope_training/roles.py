"""Train the entity-role heads on SemEval-2025 Task 10 subtask 1 (all five languages).

    propscope train roles --data ../shared/data --out src/propscope/models/roles --folds 5 --seed 13

Features (``propscope.models.roles.FEATURES``): the USE embedding of the mention's context (name first), joined
with the USE and multilingual-e5-small embeddings of the name alone, the language, and the article's stance (its
out-of-fold narrative scores, ``stance``) times those vectors. Heads: multinomial logistic regression for
the main role and for the fine role, blended with word-count heads on the same context (``mention_words``), decoded
jointly. Settings are chosen by cross-validation over documents; the shipped heads are then fitted on all of train.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from propscope.models.lexical import LexicalHead, save_lexical
from propscope.models.roles import (
    ENCODER_SHARES,
    FEATURES,
    JOINT_DECODING,
    STANCE_GROUPS,
    RoleHeads,
    blend_encoder,
    language_and_stance,
    language_columns,
    mention_context,
    mention_words,
    softmax,
    stance_columns,
    with_stance,
)
from propscope.models.sides import SIDES, coherence_features
from propscope.readers.research import read_semeval2025
from propscope.schema import Document, Span
from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS, fine_roles_of
from propscope_training.lexical import fit_lexical
from propscope_training.narratives import VERSION as NARRATIVES_VERSION
from propscope_training.narratives import narrative_oof

LANGS = ("EN", "RU", "BG", "PT", "HI")
VERSION = "roles-6"
# the word-count heads' share of the blended probabilities, and their C (5-fold CV, exact match / main-role
# accuracy, all languages, measured in a script that put a marker word where the name was: without them .344 /
# .670; share 0.3, C 10: .365 / .688; share 0.5: .362 / .689; C 3 and 30 within .005; this command: .363 / .682)
WORDS_WEIGHT = 0.3
WORDS_C = 10.0
COHERENCE_C = 1.0  # the second stage's (``sides``); 0.1 and 1.0 within 0.003 in a script, 5-fold CV


@dataclass
class Examples:
    doc_ids: list[str]
    langs: list[str]
    names: list[str]
    contexts: list[str]
    words: list[list[str]]  # the word-count heads' input (``mention_words``)
    main: np.ndarray  # (n,) index into MAIN_ROLE_IDS
    fine: list[list[str]]


def gold_mentions(data_dir: Path) -> Iterator[tuple[Document, str, Span, list[str]]]:
    """(document, language, mention span labelled with its main role, fine roles) for every training mention, in
    the order every roles model is trained and cross-validated on; an unknown fine role falls back to the main
    role's first."""
    for lang in LANGS:
        for doc in read_semeval2025(data_dir, lang, "train"):
            fines = doc.meta["gold"]["entity_fine_roles"]
            for span, fine in zip(doc.spans.get("gold:entities", []), fines, strict=True):
                yield doc, lang, span, [f for f in fine if f in FINE_ROLE_IDS] or [fine_roles_of(span.label)[0]]


def load_examples(data_dir: Path) -> Examples:
    rows = []
    for doc, lang, span, fine in gold_mentions(data_dir):
        context = mention_context(doc.text, span.start, span.end)
        words = mention_words(doc.text, span.start, span.end, lang)
        rows.append((doc.id, lang, doc.text[span.start : span.end], context, words, span.label, fine))
    return Examples(
        doc_ids=[r[0] for r in rows],
        langs=[r[1] for r in rows],
        names=[r[2] for r in rows],
        contexts=[r[3] for r in rows],
        words=[r[4] for r in rows],
        main=np.array([MAIN_ROLE_IDS.index(r[5]) for r in rows]),
        fine=[r[6] for r in rows],
    )


def features(ex: Examples, cache_dir: Path, data_dir: Path) -> np.ndarray:
    """The heads' input, laid out as ``FEATURES``."""
    texts = {"context": ex.contexts, "name": ex.names}
    blocks = []
    for what, how in FEATURES:
        if what == "language":
            blocks.append(np.vstack([language_columns(lang, 1) for lang in ex.langs]))
        elif what != "stance":
            blocks.append(embed(texts[what], how, cache_dir / f"{what}s-{how}.npy"))
    return with_stance(np.hstack(blocks), stance(ex, data_dir, cache_dir))


def stance(ex: Examples, data_dir: Path, cache_dir: Path) -> np.ndarray:
    """Each mention's ``stance_columns``, from out-of-fold narrative scores of its article: heads that never saw
    the article score it, as the shipped heads score a new article at run time. Cached on disk by count."""
    cache = cache_dir / f"stance-{zlib.crc32(repr((STANCE_GROUPS, NARRATIVES_VERSION)).encode()):08x}.npy"
    if cache.exists():
        arr = np.load(cache)
        if len(arr) == len(ex.names):
            return arr
    docs, labels, scores = narrative_oof(data_dir)
    by_doc = {(d.language, d.id): stance_columns(labels, row) for d, row in zip(docs, scores, strict=True)}
    arr = np.stack([by_doc[(lang.lower(), doc_id)] for lang, doc_id in zip(ex.langs, ex.doc_ids, strict=True)])
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, arr)
    return arr


def embed(texts: list[str], backend: str, cache: Path) -> np.ndarray:
    """Vectors of ``texts``, cached on disk by count (the corpus is fixed)."""
    if cache.exists():
        arr = np.load(cache)
        if len(arr) == len(texts):
            return arr
    from propscope.models.embedder import embed_texts

    arr = np.vstack([embed_texts(texts[i : i + 256], backend=backend) for i in range(0, len(texts), 256)])
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, arr)
    return arr


def fit_words(rows: list[list[str]], main: np.ndarray, fine_first: np.ndarray) -> tuple[LexicalHead, LexicalHead]:
    """Word-count heads for the main and the fine role, fitted on ``rows``."""
    main_head = fit_lexical(rows, main, WORDS_C, classes=len(MAIN_ROLE_IDS))
    return main_head, fit_lexical(rows, fine_first, WORDS_C, classes=len(FINE_ROLE_IDS))


def with_words(heads: RoleHeads, words: tuple[LexicalHead, LexicalHead]) -> RoleHeads:
    heads.words_main, heads.words_fine = words
    heads.words_weight = WORDS_WEIGHT
    return heads


def fit(x: np.ndarray, main: np.ndarray, fine_first: np.ndarray, c: float, seed: int) -> RoleHeads:
    from sklearn.linear_model import LogisticRegression

    def head(y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        model = LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(x, y)
        w = np.zeros((x.shape[1], n), dtype=np.float32)
        b = np.full(n, -30.0, dtype=np.float32)  # a class never seen in training is never predicted
        w[:, model.classes_] = model.coef_.T
        b[model.classes_] = model.intercept_
        return w, b

    w_main, b_main = head(main, len(MAIN_ROLE_IDS))
    w_fine, b_fine = head(fine_first, len(FINE_ROLE_IDS))
    return RoleHeads(w_main, b_main, w_fine, b_fine, second_threshold=1.0, version="")


def scores(pred_main: list[str], pred_fine: list[list[str]], ex: Examples, idx: np.ndarray) -> dict[str, float]:
    gold_main = [MAIN_ROLE_IDS[ex.main[i]] for i in idx]
    gold_fine = [set(ex.fine[i]) for i in idx]
    acc = float(np.mean([p == g for p, g in zip(pred_main, gold_main, strict=True)]))
    emr = float(np.mean([set(p) == g for p, g in zip(pred_fine, gold_fine, strict=True)]))
    return {"main_accuracy": acc, "exact_match_ratio": emr, "n": len(idx)}


def doc_folds(doc_ids: list[str], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) positions of each fold, documents kept together; over all rows these are the role encoder's
    folds too."""
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=folds).split(np.zeros(len(doc_ids)), groups=doc_ids))


def oof_probabilities(x: np.ndarray, ex: Examples, c: float, folds: int, seed: int, words=None) -> tuple:
    """Out-of-fold (main, fine) probabilities of the heads. ``words``: a dict that caches each fold's word-count
    heads (they do not depend on ``c``); None leaves them out."""
    fine_first = np.array([FINE_ROLE_IDS.index(f[0]) for f in ex.fine])
    main_p = np.zeros((len(ex.names), len(MAIN_ROLE_IDS)), dtype=np.float32)
    fine_p = np.zeros((len(ex.names), len(FINE_ROLE_IDS)), dtype=np.float32)
    for fold, (train, test) in enumerate(doc_folds(ex.doc_ids, folds)):
        heads = fit(x[train], ex.main[train], fine_first[train], c, seed)
        rows = None
        if words is not None:
            if fold not in words:
                words[fold] = fit_words([ex.words[i] for i in train], ex.main[train], fine_first[train])
            heads, rows = with_words(heads, words[fold]), [[ex.words[i]] for i in test]
        main_p[test], fine_p[test] = heads.probabilities(x[test], rows)
    return main_p, fine_p


def evaluate(blend: tuple, ex: Examples, second: float, stage: str) -> dict:
    """Per-language scores of roles decided from ``blend``, (rows, main, fine) held-out probabilities (blended with
    a role encoder unless ``stage`` is "heads"), decoded as at run time."""
    rows, main_p, fine_p = blend
    decider = RoleHeads(*_NO_WEIGHTS, second_threshold=second, version="")
    langs = np.array([ex.langs[i] for i in rows])
    preds: dict[int, tuple[str, list[str]]] = {}
    for lang in np.unique(langs):
        at = np.flatnonzero(langs == lang)
        joint = stage == "heads" or lang.lower() in JOINT_DECODING
        decided = decider.decode(main_p[at], fine_p[at], joint)
        preds.update({int(rows[k]): (p.main, p.fine) for k, p in zip(at, decided, strict=True)})
    report = {}
    for lang in ("ALL", *LANGS):
        idx = np.array([i for i in rows if lang in ("ALL", ex.langs[i])])
        if len(idx):
            report[lang] = scores([preds[i][0] for i in idx], [preds[i][1] for i in idx], ex, idx)
    return report


_NO_WEIGHTS = (np.zeros((0, 3)), np.zeros(3), np.zeros((0, 22)), np.zeros(22))


def blends(probs: tuple, encoders: dict) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per stage ("heads", and each encoder given), (rows, main, fine): the heads' held-out probabilities of the
    rows it covers, blended with that encoder's as at run time."""
    main_p, fine_p = probs
    out = {"heads": (np.arange(len(main_p)), main_p, fine_p)}
    for name, (rows, enc_main, enc_fine) in encoders.items():
        out[name] = (rows, *blend_encoder(main_p[rows], fine_p[rows], (enc_main, enc_fine), ENCODER_SHARES[name]))
    return out


def coherence_inputs(main_p: np.ndarray, ex: Examples, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``sides.coherence_features`` of ``rows`` (``main_p`` aligned with them), each article read as at run time."""
    articles: dict[tuple[str, str], list[int]] = {}
    for k, i in enumerate(rows):
        articles.setdefault((ex.langs[i], ex.doc_ids[i]), []).append(k)
    out = None
    for ks in articles.values():
        at = rows[ks]
        languages, stance = language_and_stance(x[at])
        block = coherence_features(main_p[ks], [ex.names[i] for i in at], stance, languages)
        out = np.zeros((len(rows), block.shape[1]), dtype=np.float32) if out is None else out
        out[ks] = block
    return out


def helps(after: dict, before: dict) -> bool:
    """Whether a blend keeps its second stage: main-role accuracy up, exact match not down (all languages)."""
    more_right = after["main_accuracy"] > before["main_accuracy"]
    return more_right and after["exact_match_ratio"] >= before["exact_match_ratio"]


def fit_coherence(inputs: np.ndarray, main: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The second stage: multinomial logistic regression from ``coherence_inputs`` to the main role."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=COHERENCE_C, max_iter=3000, random_state=seed).fit(inputs, main)
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)


def coherence_oof(inputs: np.ndarray, ex: Examples, rows: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Held-out main-role probabilities of ``rows`` after the second stage, fitted on the other folds' rows."""
    out = np.zeros((len(rows), len(MAIN_ROLE_IDS)), dtype=np.float32)
    for train, test in doc_folds([ex.doc_ids[i] for i in rows], folds):
        w, b = fit_coherence(inputs[train], ex.main[rows[train]], seed)
        out[test] = softmax(inputs[test] @ w + b)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="propscope train roles", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="../shared/data", type=Path)
    p.add_argument("--out", default=Path("src/propscope/models/roles"), type=Path)
    p.add_argument("--cache", default=Path("runs/roles"), type=Path, help="where embeddings are cached")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--no-words", action="store_true", help="leave out the word-count heads (the roles-2 setting)")
    p.add_argument("--no-coherence", action="store_true", help="leave out the second stage (the roles-5 setting)")
    for name, share in ENCODER_SHARES.items():
        p.add_argument(
            f"--{name}-encoder-folds",
            nargs="*",
            type=Path,
            default=[],
            help=f"held-out predictions of the {name} role encoder (train role_encoder --fold K --predictions F.npz):"
            f" also score those folds blended with it as at run time (share {share}), and fit a second stage for it",
        )
    args = p.parse_args(argv)
    if not (args.data / "semeval2025-task10").is_dir():
        print(f"propscope: error: no semeval2025-task10 folder in {args.data}", file=sys.stderr)
        return 2
    ex = load_examples(args.data)
    print(f"{len(ex.names)} mentions in {len(set(ex.doc_ids))} documents", file=sys.stderr)
    x = features(ex, args.cache, args.data)
    words = None if args.no_words else {}
    given = {"small": args.small_encoder_folds, "full": args.full_encoder_folds}
    encoders = {name: encoder_rows(files) for name, files in given.items() if files}
    probs = {c: blends(oof_probabilities(x, ex, c, args.folds, args.seed, words), encoders) for c in (1.0, 3.0)}
    grid = {f"C={c},second={s}": (c, s) for c in probs for s in (0.6, 1.1)}
    # the setting is chosen on the blend that runs by default (the small encoder's) when its folds are given
    stage = next((n for n in ("small", "full") if n in encoders), "heads")
    chosen = {key: evaluate(probs[c][stage], ex, s, stage)["ALL"] for key, (c, s) in grid.items()}
    best_key = max(chosen, key=lambda k: chosen[k]["exact_match_ratio"])
    c, s = grid[best_key]
    cv = {name: evaluate(blend, ex, s, name) for name, blend in probs[c].items()}
    fine_first = np.array([FINE_ROLE_IDS.index(f[0]) for f in ex.fine])
    heads = fit(x, ex.main, fine_first, c, args.seed)
    if not args.no_words:
        heads = with_words(heads, fit_words(ex.words, ex.main, fine_first))
    if not args.no_coherence:
        cv = {"before_second_stage": cv}
        for name, (rows, main_p, fine_p) in probs[c].items():
            inputs = coherence_inputs(main_p, ex, x, rows)
            cohered = evaluate((rows, coherence_oof(inputs, ex, rows, args.folds, args.seed), fine_p), ex, s, name)
            if helps(cohered["ALL"], cv["before_second_stage"][name]["ALL"]):
                cv[name] = cohered
                heads.coherence[name] = fit_coherence(inputs, ex.main[rows], args.seed)
            else:  # what ships is the blend's own
                cv[name] = cv["before_second_stage"][name]
                cv.setdefault("second_stage_not_kept", {})[name] = cohered
    print(json.dumps({"best": best_key, **cv}, indent=2))
    folds = {name: [str(f) for f in given[name]] for name in encoders}
    save(heads, args.out, second=s, cv=cv, setting=best_key, argv=argv or sys.argv[1:], encoder_folds=folds)
    return 0


def encoder_rows(files: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, main, fine): a role encoder's held-out probabilities, from its fold files, in row order."""
    parts = [np.load(f) for f in files]
    rows = np.concatenate([z["test"] for z in parts]).astype(int)
    order = np.argsort(rows)
    main = np.concatenate([z["main"] for z in parts])[order]
    return rows[order], main, np.concatenate([z["fine"] for z in parts])[order]


def save(
    heads: RoleHeads, out: Path, second: float, cv: dict, setting: str, argv: list[str], encoder_folds: dict
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stages = {f"{w}_coherence_{k}": a for k, pair in heads.coherence.items() for w, a in zip("wb", pair, strict=True)}
    arrays = {"w_main": heads.w_main, "b_main": heads.b_main, "w_fine": heads.w_fine, "b_fine": heads.b_fine}
    np.savez_compressed(out / "heads.npz", **arrays, **stages)
    words = {}
    if heads.words_main is not None and heads.words_fine is not None:
        save_lexical(heads.words_main, out / "words-main.npz")
        save_lexical(heads.words_fine, out / "words-fine.npz")
        words = {"words": {"main": "words-main.npz", "fine": "words-fine.npz", "weight": heads.words_weight}}
    config = {
        "version": VERSION + ("" if words else "-no-words") + ("" if heads.coherence else "-no-coherence"),
        "main_roles": list(MAIN_ROLE_IDS),
        "fine_roles": list(FINE_ROLE_IDS),
        "features": [list(f) for f in FEATURES],
        "stance_groups": [list(g) for g in STANCE_GROUPS],
        "stance_from": NARRATIVES_VERSION,
        **words,
        # the second stage, one per blend it was fitted on (``RoleHeads.cohere``)
        "coherence": {k: {"sides": list(SIDES), "C": COHERENCE_C} for k in heads.coherence},
        "decoding": "joint: the (main, fine) pair with the highest P(main) x P(fine | main)",
        "second_threshold": second,
        "setting": setting,
        "cross_validation": cv,
        "encoder_folds": encoder_folds,
        "command": "propscope train roles " + " ".join(argv),
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
