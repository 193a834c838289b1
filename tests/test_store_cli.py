"""``propscope store ...`` and ``propscope analyze --db``."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")

from propscope.cli.main import main  # noqa: E402
from propscope.store import Store  # noqa: E402
from propscope.store.codec import analysis_from_dict  # noqa: E402

TEXT = "This is a plain English article about the harvest and the weather in the north this year.\n"


def test_upgrade_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert main(["store", "upgrade", "--db", db]) == 0
    assert "schema at revision 0001" in capsys.readouterr().out
    assert main(["store", "info", "--db", db]) == 0
    assert "0 article(s)" in capsys.readouterr().out


def test_analyze_stores_once_and_reanalyze_skips_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "harvest.txt"
    article.write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "a.db")
    args = ["analyze", str(article), "--analyzers", "language", "--db", db, "--no-progress", "-o", str(tmp_path / "o")]
    assert main(args) == 0
    assert "stored 1 new article(s)" in capsys.readouterr().err
    assert main(args) == 0
    assert "stored 0 new article(s)" in capsys.readouterr().err
    with Store(db) as store:
        [article_id] = store.ids()
        assert list(store.get(article_id)["models"]) == ["language"]
        assert store.get(article_id)["document"]["language"] == "en"
    assert main(["store", "reanalyze", "--db", db, "--analyzers", "language", "--no-progress"]) == 0
    assert "re-analysed 0 of 1" in capsys.readouterr().err


def test_reanalyze_with_other_analyzers_redoes_the_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "harvest.txt"
    article.write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "r.db")
    assert (
        main(["analyze", str(article), "--analyzers", "language", "--db", db, "--no-progress", "-o", "/dev/null"]) == 0
    )
    with Store(db) as store:  # as if an older language model had produced it
        [article_id] = store.ids()
        old = analysis_from_dict(store.get(article_id))
        old.models = {"language": "old-0"}
        store.replace_analysis(article_id, old)
    assert main(["store", "reanalyze", "--db", db, "--analyzers", "language", "--no-progress"]) == 0
    assert "re-analysed 1 of 1" in capsys.readouterr().err
    with Store(db) as store:
        assert store.get(article_id)["models"]["language"] != "old-0"


def test_unusable_databases_give_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["store", "info", "--db", str(tmp_path / "missing" / "x.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("propscope: error: cannot open") and "\n" not in err
    assert main(["store", "info", "--db", "postgresql://u:p@127.0.0.1:1/x"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("propscope: error: cannot open database") and "\n" not in err
