"""Batches in worker processes give the same analyses, in input order, as one process."""

import pytest

from propscope import pipeline
from propscope.batch import analyze_inputs, run_batches
from propscope.pipeline import PipelineError
from propscope.schema import Document

TEXTS = [
    "Read more at https://example-news.test/a and follow our Telegram channel t.me/examplenews for updates.",
    "Путин заявил, что Запад в панике. Подписывайтесь на наш канал в Telegram.",
    "The minister said on Tuesday that the talks would continue next week in Geneva.",
]


def _docs(n: int) -> list[Document]:
    return [Document(id=f"d{i}", text=f"({i}) {TEXTS[i % len(TEXTS)]}") for i in range(n)]


def test_workers_return_the_same_analyses_in_order():
    names = ["language", "source"]
    docs = _docs(7)
    serial = [a.to_dict() for chunk in run_batches(docs, names, batch_size=2) for a in chunk]
    parallel = [a.to_dict() for chunk in run_batches(_docs(7), names, batch_size=2, jobs=2) for a in chunk]
    assert [a["document"]["id"] for a in parallel] == [f"d{i}" for i in range(7)]
    assert parallel == serial
    assert {a["document"]["language"] for a in parallel} == {"en", "ru"}


def test_jobs_must_be_positive():
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        list(run_batches(_docs(2), ["language"], jobs=0))


def test_an_unknown_analyzer_is_reported_before_any_worker_starts():
    with pytest.raises(PipelineError, match="unknown analyzer 'nope'"):
        list(run_batches(_docs(20), ["nope"], jobs=2))


def test_threads_are_set_only_for_analyzers_that_take_them():
    options = pipeline.with_threads(["language", "techniques"], {"techniques": {"batch_size": 4}}, threads=1)
    assert options == {"techniques": {"batch_size": 4, "threads": 1}}
    kept = pipeline.with_threads(["techniques"], {"techniques": {"threads": 3}}, threads=1)
    assert kept["techniques"]["threads"] == 3


def test_analyze_inputs_with_jobs_keeps_bad_inputs_apart(tmp_path):
    for i in range(5):
        (tmp_path / f"a{i}.txt").write_text(TEXTS[i % 3], encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 40)
    result = analyze_inputs([str(tmp_path)], analyzers=["language"], batch_size=2, jobs=2)
    assert len(result.analyses) == 5
    assert [p.path.rsplit("/", 1)[-1] for p in result.problems] == ["bad.txt"]
    assert all(a.language for a in result.analyses)
