"""The web app through FastAPI's in-process TestClient, with a light fake pipeline (no model files)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from propscope.analyzers.base import Analyzer  # noqa: E402
from propscope.pipeline import Pipeline  # noqa: E402
from propscope.schema import Analysis, Document, Narrative, Offsets, TechniqueSpan  # noqa: E402
from propscope.store import Store  # noqa: E402
from propscope.web.app import create_app  # noqa: E402

WORDS = {"evil": "Loaded_Language", "traitors": "Name_Calling-Labeling", "allegedly": "Doubt"}
XSS_TEXT = 'Breaking: <script>alert("x")</script> the evil <img src=x onerror=alert(1)> regime.'


class WordMarker(Analyzer):
    """Marks fixed words as techniques and, when 'gas' appears, a narrative with the word as evidence."""

    name = "techniques"
    adds: ClassVar[tuple[str, ...]] = ("techniques", "narratives")
    version = "words-1"

    def predict(self, doc: Document, analysis: Analysis) -> dict[str, Any]:
        spans = []
        for word, technique in WORDS.items():
            start = doc.text.find(word)
            while start >= 0:
                spans.append(TechniqueSpan(technique, start, start + len(word), word, 0.9))
                start = doc.text.find(word, start + 1)
        narratives = []
        gas = doc.text.find("gas")
        if gas >= 0:
            narratives.append(Narrative("URW: Blaming the war on others", None, 0.7, [Offsets(gas, gas + 3)]))
        return {"techniques": spans, "narratives": narratives}


def make_client(tmp_path: Any, **options: Any) -> TestClient:
    options.setdefault("pipeline", Pipeline([WordMarker()]))
    return TestClient(create_app(str(tmp_path / "web.db"), **options))


@pytest.fixture
def client(tmp_path: Any) -> TestClient:
    return make_client(tmp_path)


def post(client: TestClient, text: str, **fields: Any) -> Any:
    return client.post("/api/articles", json={"text": text, **fields})


class Tags(HTMLParser):
    """Every start tag with its attributes, for checking what a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_post_article_returns_201_with_the_json_contract(client: TestClient) -> None:
    r = post(client, "The evil regime blames traitors.", title="T", outlet="rt.com", published="2024-03-01")
    assert r.status_code == 201
    body = r.json()
    assert body["schema"] == "propscope.analysis/1"
    assert r.headers["location"] == f"/api/articles/{body['id']}"
    assert [(t["technique"], t["text"]) for t in body["techniques"]] == [
        ("Loaded_Language", "evil"),
        ("Name_Calling-Labeling", "traitors"),
    ]
    assert body["models"] == {"techniques": "words-1"}
    assert body["document"]["outlet"] == "rt.com"
    assert client.get(f"/api/articles/{body['id']}").json() == body
    assert client.get(f"/articles/{body['id']}.json").json() == body


def test_the_same_text_is_analysed_and_stored_once(client: TestClient) -> None:
    first = post(client, "An evil  article.")
    again = post(client, "An evil article.\n")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert client.get("/api/articles").json()["total"] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "invalid JSON"),
        (b'{"title": "no text"}', "text: Field required"),
        (b'{"text": "   "}', "text is empty"),
        (b'{"text": 42}', "text:"),
        (b'{"text": "ok", "published": "last spring"}', "published:"),
        (b"[]", "body"),
    ],
)
def test_bad_bodies_give_422_with_a_message(client: TestClient, body: bytes, message: str) -> None:
    r = client.post("/api/articles", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert message in r.json()["detail"]


def test_bodies_over_the_limit_get_413(tmp_path: Any) -> None:
    client = make_client(tmp_path, max_body=2000)
    r = post(client, "x" * 3000)
    assert r.status_code == 413
    assert "limit is 2000 bytes" in r.json()["detail"]

    def chunks() -> Any:  # no Content-Length: counted as it streams in
        for _ in range(10):
            yield b"y" * 500

    r = client.post("/api/articles", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/upload", files={"file": ("big.txt", b"z" * 5000)})
    assert r.status_code == 413
    assert post(client, "small evil text").status_code == 201


def test_user_supplied_fields_render_as_text_everywhere(client: TestClient) -> None:
    article_id = post(
        client,
        XSS_TEXT,
        title="<img src=x onerror=alert(2)>",
        outlet="<script>alert(3)</script>",
        url="javascript:alert(4)",
    ).json()["id"]
    for path in (f"/articles/{article_id}", "/articles", "/", "/corpus", "/articles?q=%3Cscript%3E"):
        html = client.get(path).text
        tags = parse(html)
        scripts = [attrs.get("src") for tag, attrs in tags if tag == "script"]
        assert scripts == ["/static/report.js"], path
        assert not any(tag == "img" for tag, _ in tags), path
        assert not any(k.startswith("on") for _, attrs in tags for k in attrs), path
        assert not any((attrs.get("href") or "").lower().startswith("javascript:") for _, attrs in tags), path
    page = client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;" in page or "&lt;scr" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "script-src 'self'" in client.get(f"/articles/{article_id}").headers["content-security-policy"]


def test_article_page_shows_highlights_legend_and_narratives(client: TestClient) -> None:
    text = "They say the evil West cut the gas. Allegedly the traitors agreed, the evil ones."
    article_id = post(client, text, outlet="rt.com").json()["id"]
    tags = parse(client.get(f"/articles/{article_id}").text)
    marked = [attrs["data-t"] for _, attrs in tags if attrs.get("data-t")]
    assert marked.count("Loaded_Language") == 2 and "Name_Calling-Labeling" in marked
    toggles = {attrs["value"] for tag, attrs in tags if tag == "input" and "ps-toggle" in (attrs.get("class") or "")}
    assert toggles == {"Loaded_Language", "Name_Calling-Labeling"}
    html = client.get(f"/articles/{article_id}").text
    assert "Loaded Language (2)" in html
    assert "URW: Blaming the war on others" in html
    assert client.get("/articles/999").status_code == 404
    assert client.get("/api/articles/999").json() == {"detail": "no article 999"}


def seed(client: TestClient) -> dict[str, int]:
    rows = {
        "a": ("The evil gas politics today.", "rt.com", "2024-01-10"),
        "b": ("Traitors and evil again.", "rt.com", "2024-02-02"),
        "c": ("A calm report, allegedly.", "bbc.co.uk", "2024-02-15"),
        "d": ("Nothing to see here.", None, None),
    }
    out = {}
    for key, (text, outlet, published) in rows.items():
        fields = {k: v for k, v in (("outlet", outlet), ("published", published)) if v}
        out[key] = post(client, text, **fields).json()["id"]
    return out


def test_search_filter_and_paging_in_api_and_pages(client: TestClient) -> None:
    ids = seed(client)

    def found(query: str) -> list[int]:
        return [i["id"] for i in client.get(f"/api/articles?{query}").json()["items"]]

    assert found("q=gas") == [ids["a"]]
    assert found("outlet=rt.com") == [ids["b"], ids["a"]]
    assert found("technique=Loaded_Language") == [ids["b"], ids["a"]]
    assert found("narrative=URW:+Blaming+the+war+on+others") == [ids["a"]]
    assert found("date_from=2024-02-01&date_to=2024-02-28") == [ids["c"], ids["b"]]
    assert found("outlet=&q=") == [ids["d"], ids["c"], ids["b"], ids["a"]]  # empty form fields: no filter
    page = client.get("/api/articles?per_page=3&page=2").json()
    assert (page["total"], page["pages"], [i["id"] for i in page["items"]]) == (4, 2, [ids["a"]])
    assert client.get("/api/articles?date_from=yesterday").status_code == 422
    assert client.get("/api/articles?per_page=1000").status_code == 422
    assert client.get("/articles.json?outlet=rt.com").json() == client.get("/api/articles?outlet=rt.com").json()
    html = client.get("/articles?outlet=rt.com&per_page=1").text
    assert "Traitors and evil again." in html and "The evil gas politics today." not in html
    assert 'href="/articles?outlet=rt.com&amp;per_page=1&amp;page=2"' in html


def test_corpus_stats_as_charts_json_and_csv(client: TestClient) -> None:
    seed(client)
    stats = client.get("/api/stats/techniques?by=outlet").json()
    rows = {(r["group"], r["label"]): (r["count"], r["articles"], r["group_articles"]) for r in stats["rows"]}
    assert rows[("rt.com", "Loaded_Language")] == (2, 2, 2)
    assert rows[("bbc.co.uk", "Doubt")] == (1, 1, 1)
    csv_text = client.get("/api/stats/techniques?by=month&format=csv").text
    lines = csv_text.strip().splitlines()
    assert lines[0] == "group,label,name,count,articles,group_articles"
    assert "2024-02,Loaded_Language,Loaded Language,1,1,2" in lines
    narratives = client.get("/api/stats/narratives?by=month&outlet=rt.com").json()
    assert [(r["group"], r["count"]) for r in narratives["rows"]] == [("2024-01", 1)]
    assert client.get("/api/stats/colours").status_code == 422
    corpus = client.get("/corpus.json").json()
    assert corpus["techniques_by_outlet"] == stats["rows"]
    html = client.get("/corpus").text
    tags = parse(html)
    assert sum(tag == "svg" for tag, _ in tags) == 4
    assert sum(tag == "rect" for tag, _ in tags) >= 6
    assert "/api/stats/techniques?by=month&amp;format=csv" in html


def test_docs_work_offline(client: TestClient) -> None:
    html = client.get("/docs").text
    tags = parse(html)
    external = [a.get("src") or a.get("href") for _, a in tags if "://" in (a.get("src") or a.get("href") or "")]
    assert external == []
    assert "POST /api/articles" in html and "/api/stats/{kind}" in html and "ArticleIn" in html
    spec = client.get("/openapi.json").json()
    assert "/api/articles" in spec["paths"]


def test_home_form_and_uploads(client: TestClient) -> None:
    assert 'action="/upload"' in client.get("/").text
    r = client.post("/articles", data={"text": "A pasted evil article.", "outlet": "x.org"}, follow_redirects=False)
    assert r.status_code == 303
    stored = client.get(r.headers["location"] + ".json").json()
    assert stored["document"]["outlet"] == "x.org"
    r = client.post("/articles", data={"text": "  "})
    assert r.status_code == 422 and "text is empty" in r.text

    r = client.post("/upload", files={"file": ("note.txt", b"Uploaded evil text.\n")}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(r.headers["location"] + ".json").json()["document"]["text"] == "Uploaded evil text.\n"
    lines = [{"id": "j1", "text": "First evil line."}, {"id": "j2", "text": "Second line, allegedly."}]
    jsonl = "\n".join(json.dumps(x) for x in lines).encode()
    r = client.post("/upload", files={"file": ("../../corpus.jsonl", jsonl)})
    assert r.status_code == 200 and r.text.count('href="/articles/') >= 2
    r = client.post("/upload", files={"file": ("blob.bin", b"\x00\x01\x02binary")})
    assert r.status_code == 422 and "blob.bin" in r.text and "binary" in r.text


def test_a_restarted_app_serves_what_it_acknowledged(tmp_path: Any) -> None:
    first = make_client(tmp_path)
    ids = [post(first, f"Article {i} is evil.").json()["id"] for i in range(5)]
    first.app.state.store.close()
    second = make_client(tmp_path)
    assert [second.get(f"/api/articles/{i}").status_code for i in ids] == [200] * 5


def test_analyzers_by_name_are_built_on_first_post(tmp_path: Any) -> None:
    client = TestClient(create_app(str(tmp_path / "named.db"), analyzers=["language"]))
    assert client.app.state.analyst._pipeline is None  # the server starts without loading models
    body = post(client, "This is a plain English sentence about the weather and the harvest this year.").json()
    assert list(body["models"]) == ["language"]
    assert body["document"]["language"] == "en"


def test_article_page_follows_a_reanalysis_made_elsewhere(tmp_path: Any) -> None:
    client = make_client(tmp_path)
    article_id = post(client, "The evil plan.").json()["id"]
    assert "Loaded Language (1)" in client.get(f"/articles/{article_id}").text  # rendered and cached
    other = Store(str(tmp_path / "web.db"))  # another process's view of the same file
    doc = Document(id="x", text="The evil plan.")
    other.replace_analysis(article_id, Analysis(doc, techniques=[TechniqueSpan("Doubt", 4, 8, "evil", 0.5)]))
    other.close()
    page = client.get(f"/articles/{article_id}").text
    assert "Doubt (1)" in page and "Loaded Language (1)" not in page


def test_an_unusable_pipeline_gives_503_and_stored_articles_stay_readable(tmp_path: Any) -> None:
    client = make_client(tmp_path)
    article_id = post(client, "Stored before the models went missing.").json()["id"]
    client.app.state.store.close()
    broken = TestClient(create_app(str(tmp_path / "web.db"), analyzers=["no_such_analyzer"]))
    r = post(broken, "A new article.")
    assert r.status_code == 503 and "unknown analyzer 'no_such_analyzer'" in r.json()["detail"]
    r = broken.post("/articles", data={"text": "A new article."}, headers={"accept": "text/html"})
    assert r.status_code == 503 and "<h1>503</h1>" in r.text
    assert broken.get(f"/articles/{article_id}").status_code == 200
