"""``propscope eval genre --data DIR``: macro-F1 of the genre model on SemEval-2023 Task 3 subtask 1 data
(the task's official measure)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from propscope.schema import Document

DEFAULT_DATA = Path("../shared/data")


def read_genre_split(data_dir: Path, lang: str, split: str) -> list[Document]:
    """SemEval-2023 subtask-1 articles with ``meta["gold"]["genre"]``.

    Subtask 1 has its own article set (for fr/ge/it/po/ru only 20-75% of it is in subtask 3, which
    ``read_semeval2023`` reads), so it is read here from ``<lang>/<split>-articles-subtask-1/``.
    """
    from propscope.readers.research import SEMEVAL2023_LANGS, _semeval2023_folder

    code = _semeval2023_folder(lang)
    root = Path(data_dir) / "semeval2023-task3" / code
    labels_path = root / f"{split}-labels-subtask-1.txt"
    if not labels_path.is_file():
        raise FileNotFoundError(f"SemEval-2023 genre labels not found: {labels_path}")
    docs = []
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        doc_id, _, label = line.strip().partition("\t")
        path = root / f"{split}-articles-subtask-1" / f"article{doc_id}.txt"
        if not label or not path.is_file():
            continue
        doc = Document(doc_id, path.read_text(encoding="utf-8"), language=SEMEVAL2023_LANGS[code], source=str(path))
        doc.meta.update(corpus="semeval2023-task3", split=split, gold={"genre": label.strip()})
        docs.append(doc)
    return docs


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None) -> float:
    """Mean over labels of per-label F1; a label absent from both gold and predictions counts as 0 only when it
    is named in ``labels`` (the default is every label seen in either)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    labels = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    if not labels:
        return 0.0
    total = 0.0
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(labels)


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="propscope eval genre", description=__doc__)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    p.add_argument("--split", default="dev", help="split to score")
    p.add_argument("--langs", default="en,ru", help="SemEval-2023 language codes (fr/ge/it/po dev are in training)")
    p.add_argument("--model-dir", default=None, help="folder with the genre head")
    return p.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _parse(argv)
    if not args.data.is_dir():
        print(f"error: data folder not found: {args.data} (pass --data DIR)", file=sys.stderr)
        return 2
    from propscope.models.heads import HeadError

    try:
        return _score(args)
    except HeadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _score(args: argparse.Namespace) -> int:
    from propscope.analyzers.genre import GenreAnalyzer
    from propscope.schema import Analysis

    analyzer = GenreAnalyzer(args.model_dir)
    print("lang\tdocs\tmacro_F1")
    for lang in [x.strip() for x in args.langs.split(",") if x.strip()]:
        try:
            docs = read_genre_split(args.data, lang, args.split)
        except (FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        preds = analyzer.predict_batch(docs, [Analysis(d) for d in docs])
        gold = [d.meta["gold"]["genre"] for d in docs]
        score = macro_f1(gold, [p["genre"].label for p in preds], analyzer.head.labels)
        print(f"{lang}\t{len(docs)}\t{score:.3f}")
    return 0
