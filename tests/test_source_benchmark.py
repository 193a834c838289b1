"""benchmarks/pipeline.py builds the pipeline, runs it, and prints its table."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "pipeline.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_pipeline", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_built_in_article_is_about_1000_words():
    assert 950 <= len(load_bench().ARTICLE.split()) <= 1100


def test_runs_source_over_copies(capsys):
    assert load_bench().main(["--analyzers", "source", "--copies", "5", "--batch-size", "2"]) == 0
    out = capsys.readouterr().out
    assert "articles: 3 timed (+2 warm-up" in out
    assert "analyzer errors: 0" in out
    assert any(line.startswith("source ") for line in out.splitlines())
    assert "peak RSS:" in out


def test_runs_over_a_folder(tmp_path, capsys):
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"By Jane Roe\n\nArticle {i}. Follow us on VK.\n", encoding="utf-8")
    assert load_bench().main(["--analyzers", "source", "--folder", str(tmp_path), "--batch-size", "1"]) == 0
    assert "articles: 2 timed (+1 warm-up" in capsys.readouterr().out


def test_unknown_analyzer_is_one_line(capsys):
    assert load_bench().main(["--analyzers", "nope", "--copies", "2"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("benchmark: cannot build the pipeline: unknown analyzer 'nope'")
    assert "\n" not in err


def test_threads_option_sets_environment(monkeypatch):
    bench = load_bench()
    names = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "ORT_NUM_THREADS")
    for name in names:
        monkeypatch.setenv(name, "9")  # monkeypatch restores each one after the test
    bench.set_threads(2)
    assert [os.environ[name] for name in names] == ["2"] * 4
