"""``propscope eval techniques --data DIR``: score the technique analyzer on annotated articles.

Span identification (SemEval-2020 SI), spans with their technique, and SemEval-2023 subtask 3 paragraph
micro/macro-F1, with a per-technique table. Metrics live in ``propscope.eval.spans``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from propscope.analyzers.base import Analyzer
from propscope.eval.spans import (
    labelled_span_scores,
    paragraph_scores,
    si_scores,
    spans_to_paragraphs,
    technique_span_scores,
)
from propscope.schema import Analysis, Document

PARAGRAPH_SOURCES = ("auto", "paragraphs", "spans")
CORPORA = ("semeval2023", "ptc")


class EvalError(Exception):
    """A problem with the command's inputs, shown as one line."""


# --- running the analyzer (also used by the semeval commands) ----------------------------------------------------


def load_techniques(options: dict[str, Any] | None = None) -> Analyzer:
    """The registered ``techniques`` analyzer; EvalError when it cannot be built."""
    from propscope import pipeline

    try:
        return pipeline.load_analyzer("techniques", options)
    except ModuleNotFoundError as exc:
        raise EvalError(f"the techniques analyzer is not available: {exc.name} is missing") from exc
    except (TypeError, ValueError) as exc:
        raise EvalError(f"cannot build the techniques analyzer: {exc}") from exc


def predict(docs: list[Document], analyzer: Analyzer, batch_size: int = 8) -> list[Analysis]:
    """Run ``analyzer`` alone over ``docs``; documents it failed on carry the error in ``analysis.errors``."""
    from propscope.pipeline import Pipeline

    return list(Pipeline([analyzer]).pipe(docs, batch_size=batch_size))


def resolve_paragraph_source(source: str, analyzer: Analyzer) -> str:
    """``auto``: the analyzer's own paragraphs when it declares them, else paragraphs derived from its spans."""
    if source == "auto":
        return "paragraphs" if "paragraphs" in analyzer.adds else "spans"
    return source


def line_techniques(analysis: Analysis, lines: Sequence[dict[str, Any]], source: str) -> dict[int, list[str]]:
    """Techniques per line number: each line gets those of every predicted paragraph (or span) overlapping it."""
    if source == "paragraphs":
        found = [(p.start, p.end, t) for p in analysis.paragraphs for t in p.techniques]
    else:
        found = [(t.start, t.end, t.technique) for t in analysis.techniques]
    labels = spans_to_paragraphs(found, [(line["start"], line["end"]) for line in lines])
    return {line["line"]: names for line, names in zip(lines, labels, strict=True)}


# --- scoring -----------------------------------------------------------------------------------------------------


def _ptc_class_of() -> dict[str, str]:
    """SemEval-2023 technique -> the PTC class that covers it (the six new techniques have none)."""
    from propscope.taxonomy.techniques import PTC_TO_TECHNIQUES

    return {tech: ptc for ptc, techs in PTC_TO_TECHNIQUES.items() for tech in techs}


def span_tuples(docs: Iterable[Document], analyses: Iterable[Analysis], ptc: bool) -> tuple[list, list]:
    """Gold and predicted ``(doc, start, end, label)``; for PTC, predictions are renamed to PTC classes and
    predictions of techniques PTC does not annotate are dropped."""
    gold = [(d.id, s.start, s.end, s.label) for d in docs for s in d.spans.get("gold:techniques", [])]
    pred = [(a.document.id, t.start, t.end, t.technique) for a in analyses for t in a.techniques]
    if ptc:
        to_ptc = _ptc_class_of()
        pred = [(d, s, e, to_ptc[t]) for d, s, e, t in pred if t in to_ptc]
    return gold, pred


def paragraph_maps(
    docs: Iterable[Document], analyses: Iterable[Analysis], source: str
) -> tuple[dict[tuple[str, int], list[str]], dict[tuple[str, int], list[str]]]:
    gold: dict[tuple[str, int], list[str]] = {}
    pred: dict[tuple[str, int], list[str]] = {}
    for doc, analysis in zip(docs, analyses, strict=True):
        lines = doc.meta.get("gold", {}).get("paragraphs") or []
        for number, names in line_techniques(analysis, lines, source).items():
            pred[(doc.id, number)] = names
        for line in lines:
            gold[(doc.id, line["line"])] = list(line["techniques"])
    return gold, pred


def evaluate(
    docs: list[Document], analyses: list[Analysis], corpus: str = "semeval2023", paragraph_source: str = "spans"
) -> dict[str, Any]:
    """The full report as a JSON-ready dict."""
    report: dict[str, Any] = {"documents": len(docs), "failed": [a.document.id for a in analyses if a.errors]}
    gold, pred = span_tuples(docs, analyses, ptc=corpus == "ptc")
    if any("gold:techniques" in d.spans for d in docs):
        report["si"] = si_scores(gold, pred).to_dict()
        report["labelled_spans"] = labelled_span_scores(gold, pred).to_dict()
        labels = sorted({g[3] for g in gold} | {p[3] for p in pred})
        report["spans_by_technique"] = {k: v.to_dict() for k, v in technique_span_scores(gold, pred, labels).items()}
    if corpus == "semeval2023":
        report["paragraphs"] = _paragraph_report(docs, analyses, paragraph_source)
    return report


def _paragraph_report(docs: list[Document], analyses: list[Analysis], source: str) -> dict[str, Any]:
    from propscope.taxonomy.techniques import IDS

    gold, pred = paragraph_maps(docs, analyses, source)
    unknown = sorted({t for names in pred.values() for t in names} - set(IDS))
    pred = {key: [t for t in names if t in IDS] for key, names in pred.items()}
    official = paragraph_scores(gold, pred, labels=IDS)
    in_gold = sorted({t for names in gold.values() for t in names} & set(IDS))
    return {
        "source": source,
        "paragraphs": len(gold),
        "micro": official.micro.to_dict(),
        "macro_f1": official.macro_f1,
        "macro_f1_gold_labels": _macro_over(gold, pred, in_gold),
        "gold_labels": len(in_gold),
        "labels": len(IDS),
        "ignored_unknown_labels": unknown,
        "per_label": {k: v.to_dict() for k, v in official.per_label.items()},
    }


def _macro_over(gold: dict, pred: dict, labels: list[str]) -> float:
    """Macro-F1 over ``labels`` only (predictions of other labels left out)."""
    keep = set(labels)
    return paragraph_scores(gold, {k: [t for t in v if t in keep] for k, v in pred.items()}, labels=labels).macro_f1


# --- reading -----------------------------------------------------------------------------------------------------


def read_corpus(data: Path, corpus: str, lang: str, split: str) -> list[Document]:
    from propscope.readers.research import read_ptc, read_semeval2023

    if not data.is_dir():
        raise EvalError(f"data folder {data} not found (pass --data DIR)")
    try:
        return read_ptc(data, split) if corpus == "ptc" else read_semeval2023(data, lang, split)
    except (FileNotFoundError, ValueError) as exc:
        raise EvalError(str(exc)) from exc


def read_ids(path: Path) -> list[str]:
    """Article ids, one a line (``123``, ``article123`` or ``article123.txt``); ``#`` comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        raise EvalError(f"{path}: cannot read ids: {exc}") from exc
    ids = [line.split("#", 1)[0].split("\t")[0].strip() for line in lines]
    return [i.removeprefix("article").removesuffix(".txt") for i in ids if i]


def read_folds(path: Path) -> dict[str, str]:
    """``id<TAB>fold`` lines -> {id: fold}."""
    folds = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        raise EvalError(f"{path}: cannot read folds: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise EvalError(f"{path}:{number}: expected id<TAB>fold")
        folds[fields[0].strip().removeprefix("article").removesuffix(".txt")] = fields[1].strip()
    return folds


def select(docs: list[Document], ids: list[str], source: Path) -> list[Document]:
    by_id = {d.id: d for d in docs}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise EvalError(f"{source}: {len(missing)} id(s) not in the corpus, e.g. {missing[0]}")
    return [by_id[i] for i in dict.fromkeys(ids)]


def parse_options(items: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` analyzer options; values are JSON when they parse as JSON, else strings."""
    options: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise EvalError(f"--option {item!r}: expected KEY=VALUE")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options


# --- output ------------------------------------------------------------------------------------------------------


def _prf(s: dict[str, Any]) -> str:
    return f"P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  (pred {s['predicted']}, gold {s['gold']})"


def format_report(report: dict[str, Any]) -> str:
    out = []
    if "si" in report:
        out.append(f"{'spans, any technique (SI)':32}{_prf(report['si'])}")
        out.append(f"{'spans, same technique (FLC)':32}{_prf(report['labelled_spans'])}")
    par = report.get("paragraphs")
    if par:
        out.append(f"{'paragraphs, micro (subtask 3)':32}{_prf(par['micro'])}")
        out.append(
            f"{'paragraphs, macro-F1':32}{par['macro_f1']:.3f} over the {par['labels']} techniques (official), "
            f"{par['macro_f1_gold_labels']:.3f} over the {par['gold_labels']} in gold; "
            f"{par['paragraphs']} paragraphs, labels from the analyzer's {par['source']}"
        )
    out.append("")
    out.append(_technique_table(report))
    for fold, row in report.get("folds", {}).items():
        out.append(
            f"fold {fold}: " + "  ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items())
        )
    return "\n".join(out) + "\n"


def _technique_table(report: dict[str, Any]) -> str:
    spans = report.get("spans_by_technique", {})
    paras = (report.get("paragraphs") or {}).get("per_label", {})
    names = sorted(set(spans) | {k for k, v in paras.items() if v["gold"] or v["predicted"]})
    head = f"{'technique':38}{'gold':>6}{'pred':>6}{'span F1':>9}"
    head += f"{'par gold':>10}{'par pred':>10}{'par P':>7}{'par R':>7}{'par F1':>8}"
    rows = [head]
    for name in names:
        s, p = spans.get(name), paras.get(name)
        row = f"{name[:37]:38}"
        row += f"{s['gold']:>6}{s['predicted']:>6}{s['f1']:>9.3f}" if s else f"{'-':>6}{'-':>6}{'-':>9}"
        if p:
            # P (R) is undefined with nothing predicted (no gold): show '-' rather than the scorer's 1.0
            precision = f"{p['precision']:>7.3f}" if p["predicted"] else f"{'-':>7}"
            recall = f"{p['recall']:>7.3f}" if p["gold"] else f"{'-':>7}"
            row += f"{p['gold']:>10}{p['predicted']:>10}{precision}{recall}{p['f1']:>8.3f}"
        else:
            row += f"{'-':>10}{'-':>10}{'-':>7}{'-':>7}{'-':>8}"
        rows.append(row)
    return "\n".join(rows)


def _fold_rows(report_for: Any, docs: list[Document], analyses: list[Analysis], folds: dict[str, str]) -> dict:
    rows = {}
    for fold in sorted(set(folds.values())):
        keep = [i for i, d in enumerate(docs) if folds.get(d.id) == fold]
        sub = report_for([docs[i] for i in keep], [analyses[i] for i in keep])
        row: dict[str, Any] = {"documents": len(keep)}
        if "si" in sub:
            row["si_f1"] = sub["si"]["f1"]
        if "paragraphs" in sub:
            row["micro_f1"] = sub["paragraphs"]["micro"]["f1"]
            row["macro_f1"] = sub["paragraphs"]["macro_f1"]
        rows[fold] = row
    return rows


# --- command -----------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="propscope eval techniques", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=Path("../shared/data"), help="shared data folder")
    p.add_argument("--corpus", choices=CORPORA, default="semeval2023")
    p.add_argument("--lang", default="en", help="SemEval-2023 language (en, fr, ge, it, po, ru)")
    p.add_argument("--split", default="train", help="train or dev (train numbers are not test numbers)")
    p.add_argument("--ids", type=Path, help="score only these article ids (one a line), e.g. a held-out fold")
    p.add_argument("--folds", type=Path, help="id<TAB>fold file: also report scores per fold")
    p.add_argument("--paragraphs", choices=PARAGRAPH_SOURCES, default="auto", help="where paragraph labels come from")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="analyzer option (repeatable)")
    p.add_argument("--limit", type=int, help="only the first N articles (a quick check)")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--json", type=Path, help="also write the report here")
    return p


def run(args: argparse.Namespace) -> dict[str, Any]:
    docs = read_corpus(args.data, args.corpus, args.lang, args.split)
    if args.ids:
        docs = select(docs, read_ids(args.ids), args.ids)
    if args.limit:
        docs = docs[: args.limit]
    if not docs:
        raise EvalError("no articles to score")
    analyzer = load_techniques(parse_options(args.option))
    source = resolve_paragraph_source(args.paragraphs, analyzer)
    analyses = predict(docs, analyzer, args.batch_size)
    report = evaluate(docs, analyses, args.corpus, source)
    report["setup"] = {
        "corpus": args.corpus,
        "lang": args.lang if args.corpus == "semeval2023" else "en",
        "split": args.split,
        "ids": str(args.ids) if args.ids else None,
        "analyzer": f"{analyzer.name} {analyzer.version}",
    }
    if args.folds:
        folds = read_folds(args.folds)
        report["folds"] = _fold_rows(lambda d, a: evaluate(d, a, args.corpus, source), docs, analyses, folds)
    return report


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        report = run(args)
    except EvalError as exc:
        print(f"propscope: error: {exc}", file=sys.stderr)
        return 2
    setup = report["setup"]
    print(f"{setup['corpus']} {setup['lang']} {setup['split']}: {report['documents']} articles, {setup['analyzer']}")
    if args.split == "train":
        print("note: train data; the shipped model may have been fitted on it, so these are not test numbers")
    if report["failed"]:
        print(f"warning: the analyzer failed on {len(report['failed'])} article(s), e.g. {report['failed'][0]}")
    sys.stdout.write(format_report(report))
    if args.json:
        try:
            args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        except OSError as exc:
            print(f"propscope: error: cannot write {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    return 0
