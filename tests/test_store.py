"""The store on SQLite, and on a real PostgreSQL server when PROPSCOPE_TEST_PG_URL is set (.ci/services.sh)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from typing import Any, ClassVar

import pytest

pytest.importorskip("sqlalchemy")
pytest.importorskip("alembic")

from propscope.analyzers.base import Analyzer  # noqa: E402
from propscope.pipeline import Pipeline  # noqa: E402
from propscope.schema import (  # noqa: E402
    Analysis,
    Claim,
    Document,
    Entity,
    Narrative,
    NarrativeScore,
    Offsets,
    Reliability,
    SourceInfo,
    Speaker,
    TechniqueSpan,
)
from propscope.store import ArticleQuery, Store, StoreError  # noqa: E402
from propscope.store.codec import analysis_from_dict, iso_date, text_hash  # noqa: E402
from propscope.store.reanalysis import reanalyze  # noqa: E402

PG_URL = os.environ.get("PROPSCOPE_TEST_PG_URL")


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from propscope.store.engine import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS narratives, technique_spans, articles, alembic_version CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Any:
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    if not PG_URL:
        pytest.skip("PROPSCOPE_TEST_PG_URL is not set (source .ci/services.sh to start PostgreSQL)")
    reset_postgres(PG_URL)
    yield PG_URL
    reset_postgres(PG_URL)


@pytest.fixture
def store(db_url: str) -> Any:
    with Store(db_url) as s:
        yield s


def make_analysis(
    text: str,
    outlet: str | None = None,
    published: str | None = None,
    techniques: tuple[str, ...] = (),
    narratives: tuple[str, ...] = (),
    language: str | None = "en",
    models: dict[str, str] | None = None,
) -> Analysis:
    doc = Document(id=f"d{abs(hash(text)) % 10**8}", text=text, title=text[:20], outlet=outlet, published=published)
    doc.language = language
    spans = [TechniqueSpan(t, 0, 4, text[0:4], 0.8) for t in techniques]
    narr = [Narrative(n, None, 0.6, [Offsets(0, 4)]) for n in narratives]
    return Analysis(document=doc, techniques=spans, narratives=narr, models=models or {"fake": "1"})


def full_analysis() -> Analysis:
    text = 'Officials said "the enemy lies". The regime is evil.'
    doc = Document(id="full", text=text, title="Full", language="en", outlet="example.org", published="2024-05-06")
    return Analysis(
        document=doc,
        techniques=[TechniqueSpan("Loaded_Language", 47, 51, "evil", 0.91)],
        narratives=[Narrative("N1", "N1: sub", 0.5, [Offsets(33, 52)])],
        narrative_scores=[NarrativeScore("N1", 0.5, 0.45), NarrativeScore("N2", 0.2, 0.45)],
        entities=[Entity("regime", [Offsets(37, 43)], role="Antagonist", fine_roles=["Tyrant"], score=0.7)],
        claims=[
            Claim(16, 31, "the enemy lies", Speaker("Officials", 0, 9), "said", hedged=True, hedges=["perhaps"]),
        ],
        source=SourceInfo(outlet="example.org", domain="example.org", reliability=Reliability("low", "note", "list")),
        models={"techniques": "t-2", "claims": "rules-1"},
    )


def test_saved_analysis_round_trips_through_the_json_contract(store: Store) -> None:
    analysis = full_analysis()
    saved = store.save(analysis)
    assert saved.created
    stored = store.get(saved.id)
    assert stored["id"] == saved.id
    assert {k: v for k, v in stored.items() if k != "id"} == analysis.to_dict()
    assert analysis_from_dict(stored).to_dict() == analysis.to_dict()


def test_same_text_is_stored_once_even_with_other_spacing(store: Store) -> None:
    first = store.save(make_analysis("One article.\nSecond line."))
    again = store.save(make_analysis("One  article.\r\n Second line. "))
    other = store.save(make_analysis("Another article."))
    assert (first.created, again.created, other.created) == (True, False, True)
    assert again.id == first.id
    assert store.count() == 2


def test_missing_article_is_none(store: Store) -> None:
    assert store.get(12345) is None


def populate(store: Store) -> list[int]:
    rows = [
        make_analysis("Alpha text about gas.", "rt.com", "2024-01-05", ("Loaded_Language", "Doubt"), ("N1",)),
        make_analysis("Beta text about grain.", "rt.com", "2024-02-10", ("Loaded_Language",), (), "ru"),
        make_analysis("Gamma text 100% sure.", "tass.ru", "2024-02-20", ("Doubt",), ("N1", "N2")),
        make_analysis("Delta text, no date.", None, None, (), ()),
    ]
    return [store.save(a).id for a in rows]


def test_search_filters_combine_and_page(store: Store) -> None:
    alpha, beta, gamma, delta = populate(store)

    def ids(**filters: Any) -> list[int]:
        return [i["id"] for i in store.search(ArticleQuery(**filters), 1, 50).items]

    assert ids() == [delta, gamma, beta, alpha]  # newest first
    assert ids(q="GRAIN") == [beta]
    assert ids(q="100%") == [gamma]  # % is matched literally, not as a wildcard
    assert ids(q="_") == []
    assert ids(outlet="rt.com") == [beta, alpha]
    assert ids(language="ru") == [beta]
    assert ids(technique="Doubt") == [gamma, alpha]
    assert ids(narrative="N1") == [gamma, alpha]
    assert ids(date_from="2024-02-01") == [gamma, beta]
    assert ids(date_from="2024-01-01", date_to="2024-02-15") == [beta, alpha]
    assert ids(outlet="rt.com", technique="Doubt") == [alpha]
    page = store.search(ArticleQuery(), page=2, per_page=3)
    assert (page.total, page.pages, [i["id"] for i in page.items]) == (4, 2, [alpha])
    first = store.search(ArticleQuery(q="Alpha")).items[0]
    summary = (first["techniques"], first["narratives"], first["outlet"], first["published"])
    assert summary == (2, 1, "rt.com", "2024-01-05")


def test_stats_count_spans_and_articles_per_group(store: Store) -> None:
    populate(store)
    by_outlet = {(r["group"], r["label"]): (r["count"], r["articles"]) for r in store.stats("techniques", "outlet")}
    assert by_outlet == {
        ("rt.com", "Doubt"): (1, 1),
        ("rt.com", "Loaded_Language"): (2, 2),
        ("tass.ru", "Doubt"): (1, 1),
    }
    by_month = {(r["group"], r["label"]): r["count"] for r in store.stats("narratives", "month")}
    assert by_month == {("2024-01", "N1"): 1, ("2024-02", "N1"): 1, ("2024-02", "N2"): 1}
    filtered = store.stats("techniques", "outlet", ArticleQuery(date_from="2024-02-01"))
    assert {(r["group"], r["label"]) for r in filtered} == {("rt.com", "Loaded_Language"), ("tass.ru", "Doubt")}
    assert store.article_counts("outlet") == {"rt.com": 2, "tass.ru": 1, None: 1}
    with pytest.raises(ValueError):
        store.stats("techniques", "colour")


def test_facets_list_values_most_frequent_first(store: Store) -> None:
    populate(store)
    facets = store.facets()
    assert facets["outlet"] == [("rt.com", 2), ("tass.ru", 1)]
    assert facets["technique"] == [("Doubt", 2), ("Loaded_Language", 2)]
    assert facets["narrative"] == [("N1", 2), ("N2", 1)]


class Marker(Analyzer):
    """Marks the first word as a technique; its version is set per test."""

    name = "techniques"
    adds: ClassVar[tuple[str, ...]] = ("techniques",)

    def __init__(self, version: str) -> None:
        self.version = version
        self.seen: list[str] = []

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        self.seen.append(doc.id)
        end = doc.text.find(" ")
        return {"techniques": [TechniqueSpan(f"T-{self.version}", 0, end, doc.text[:end], 1.0)]}


def test_reanalyze_redoes_only_articles_from_other_model_versions(store: Store) -> None:
    old, new = Pipeline([Marker("v1")]), Pipeline([Marker("v2")])
    docs = [Document(id=f"a{i}", text=f"Article number {i}.", outlet="x.org") for i in range(3)]
    ids = [store.save(old(d)).id for d in docs[:2]]
    ids.append(store.save(new(docs[2])).id)

    result = reanalyze(store, new)
    assert (result.checked, result.redone) == (3, 2)
    assert sorted(new.analyzers[0].seen) == ["a0", "a1", "a2"]  # a2 once, when first stored
    for article_id in ids:
        stored = store.get(article_id)
        assert stored["models"] == {"techniques": "v2"}
        assert [t["technique"] for t in stored["techniques"]] == ["T-v2"]
    assert {r["label"] for r in store.stats("techniques", "outlet")} == {"T-v2"}
    assert reanalyze(store, new).redone == 0


def test_migrations_create_exactly_the_models_tables(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from propscope.store.engine import head_revision
    from propscope.store.models import Base

    with Store(db_url) as store:
        assert store.revision() == head_revision() is not None
        with store.writer.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []
    with Store(db_url) as again:  # opening an up-to-date store migrates nothing and keeps the data
        assert again.revision() == head_revision()


def test_sqlite_store_uses_wal_and_a_busy_timeout(tmp_path: Any) -> None:
    with Store(str(tmp_path / "w.db")) as store, store.writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_bad_locations_give_one_line_errors(tmp_path: Any) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "no" / "such" / "folder" / "x.db"))
    with pytest.raises(StoreError, match="cannot open database"):
        Store("postgresql://nobody:wrong@127.0.0.1:1/none")


def test_codec_helpers() -> None:
    assert iso_date("2024-03-01T10:00:00Z") == "2024-03-01"
    assert iso_date("March 2024") is None
    assert iso_date("2024-13-01") is None
    assert text_hash("a  b\n") == text_hash("a b")


# ---- durability: separate processes ----

WRITER = textwrap.dedent(
    """
    import sys
    from propscope.schema import Analysis, Document
    from propscope.store import Store

    url, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Store(url) as store:
        for i in range(count):
            own = store.save(Analysis(Document(f"{tag}{i}", f"Article {i} by writer {tag}."), models={"f": "1"}))
            shared = store.save(Analysis(Document(f"s{i}", f"Shared article {i}."), models={"f": "1"}))
            print(own.id, shared.id, flush=True)
    """
)


def start_writer(url: str, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, tag, str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_processes_writing_one_sqlite_file_lose_nothing(tmp_path: Any) -> None:
    url = str(tmp_path / "shared.db")
    Store(url).close()  # migrate once up front; concurrent first opens are covered by the upgrade lock
    writers = [start_writer(url, tag, 25) for tag in ("a", "b")]
    acknowledged = set()
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        acknowledged.update(int(x) for line in out.split() for x in [line])
    with Store(url) as store:
        assert store.count() == 25 * 2 + 25  # each writer's own articles, and the shared ones once
        assert acknowledged == set(store.ids())


def test_a_killed_writer_loses_nothing_it_acknowledged(db_url: str) -> None:
    Store(db_url).close()
    proc = start_writer(db_url, "k", 10_000)
    acknowledged: set[int] = set()
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acknowledged.update(int(x) for x in line.split())
    proc.send_signal(signal.SIGKILL)  # no clean shutdown: what was acknowledged must already be on disk
    proc.wait(timeout=30)
    assert len(acknowledged) >= 40, proc.stderr.read() if proc.stderr else ""
    with Store(db_url) as reopened:
        stored = set(reopened.ids())
        assert acknowledged <= stored
        assert all(reopened.get(i) is not None for i in acknowledged)
