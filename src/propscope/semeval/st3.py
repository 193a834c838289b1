"""``propscope semeval st3 ARTICLES_DIR -o FILE``: a SemEval-2023 Task 3 subtask 3 submission.

One ``article_id<TAB>line<TAB>tech1,tech2,...`` row for every non-blank line of every article (1-based line
numbers, an empty list allowed): the lines the official templates list. ``--template FILE`` writes exactly
the template's rows instead; ``--check FILE`` validates an existing submission.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from propscope.schema import Analysis
from propscope.semeval.si import (
    SubmissionError,
    analyse_folder,
    article_texts,
    build_parser,
    report_check,
    write,
)

St3Row = tuple[str, int, list[str]]
Key = tuple[str, int]


def text_lines(text: str) -> list[dict]:
    """Non-blank lines with 1-based numbers and offsets, as the gold reader numbers them."""
    from propscope.readers.research import line_paragraphs

    return line_paragraphs(text, {})


def read_template(path: Path) -> dict[str, list[int]]:
    """Line numbers per article from an official ``.template`` (``id<TAB>line<TAB>text``) or labels file."""
    lines: dict[str, list[int]] = defaultdict(list)
    try:
        content = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        raise SubmissionError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(content, 1):
        fields = line.split("\t")
        if len(fields) < 2 or not fields[1].strip().isdigit():
            raise SubmissionError(f"{path}:{number}: expected article_id<TAB>line<TAB>...")
        lines[fields[0].strip()].append(int(fields[1]))
    return lines


def st3_rows(
    analyses: list[Analysis], source: str, template: dict[str, list[int]] | None = None
) -> tuple[list[St3Row], set[str]]:
    """Rows for every line (or every template line) of each article, and predicted labels outside the
    23 techniques (dropped: the official scorer rejects a file that has any)."""
    from propscope.eval.techniques import line_techniques
    from propscope.taxonomy.techniques import IDS

    rows: list[St3Row] = []
    unknown: set[str] = set()
    for analysis in analyses:
        doc = analysis.document
        found = line_techniques(analysis, text_lines(doc.text), source)
        numbers = template.get(doc.id, []) if template is not None else list(found)
        for number in numbers:
            names = found.get(number, [])
            unknown.update(n for n in names if n not in IDS)
            rows.append((doc.id, number, [n for n in names if n in IDS]))
    return rows, unknown


def format_st3(rows: list[St3Row]) -> str:
    return "".join(f"{doc_id}\t{number}\t{','.join(names)}\n" for doc_id, number, names in rows)


def parse_st3(path: Path, labels: set[str]) -> tuple[dict[Key, list[str]], list[str]]:
    """Rows of a subtask-3 file as {(id, line): techniques} and the format errors found."""
    rows: dict[Key, list[str]] = {}
    errors: list[str] = []
    try:
        content = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        return {}, [f"{path}: cannot read: {exc}"]
    for number, line in enumerate(content, 1):
        fields = line.rstrip().split("\t")  # the official reader strips trailing whitespace the same way
        if len(fields) not in (2, 3) or not fields[0].isdigit() or not fields[1].isdigit() or int(fields[1]) < 1:
            errors.append(f"{path}:{number}: expected article_id<TAB>line<TAB>tech1,tech2,... (line from 1)")
            continue
        key = (fields[0], int(fields[1]))
        names = fields[2].split(",") if len(fields) == 3 else []
        bad = [n for n in names if n not in labels]
        if bad:
            errors.append(f"{path}:{number}: unknown technique(s) {', '.join(map(repr, bad))}")
        if key in rows:
            errors.append(f"{path}:{number}: article {key[0]} line {key[1]} given twice")
        rows[key] = names
    return rows, errors


def check_st3(
    path: Path, texts: dict[str, str] | None = None, template: dict[str, list[int]] | None = None
) -> list[str]:
    """Format errors of a subtask-3 submission. With ``texts`` (id -> article) each article must have
    exactly its non-blank lines (or, with ``template``, exactly the template's lines)."""
    from propscope.taxonomy.techniques import IDS

    rows, errors = parse_st3(path, set(IDS))
    if texts is None:
        return errors
    given: dict[str, set[int]] = defaultdict(set)
    for doc_id, number in rows:
        given[doc_id].add(number)
    for doc_id in sorted(set(given) - set(texts)):
        errors.append(f"{path}: article {doc_id} is not among the articles")
    for doc_id, text in texts.items():
        if template is not None:
            expected = set(template.get(doc_id, []))
        else:
            expected = {line["line"] for line in text_lines(text)}
        if given.get(doc_id, set()) != expected:
            missing, extra = sorted(expected - given[doc_id]), sorted(given[doc_id] - expected)
            errors.append(f"{path}: article {doc_id}: lines missing {missing[:5]}, unexpected {extra[:5]}")
    return errors


def main(argv: list[str]) -> int:
    parser = build_parser("propscope semeval st3", __doc__)
    parser.add_argument("--template", type=Path, metavar="FILE", help="official .template: write exactly its rows")
    args = parser.parse_args(argv)
    try:
        template = read_template(args.template) if args.template else None
        if args.check:
            return report_check(args.check, check_st3(args.check, article_texts(args.articles), template), "st3")
        if not args.out:
            raise SubmissionError("give -o FILE to write the submission (or --check FILE to validate one)")
        analyses, source = analyse_folder(args)
        rows, unknown = st3_rows(analyses, source, template)
        write(args.out, format_st3(rows))
    except SubmissionError as exc:
        print(f"propscope: error: {exc}", file=sys.stderr)
        return 2
    if unknown:
        print(f"warning: dropped labels outside the 23 techniques: {', '.join(sorted(unknown))}", file=sys.stderr)
    print(f"wrote {len(rows)} lines for {len(analyses)} articles to {args.out}", file=sys.stderr)
    texts = {a.document.id: a.document.text for a in analyses} if template is None else None
    errors = check_st3(args.out, texts) if template is None else check_st3(args.out)
    return report_check(args.out, errors, "st3")
