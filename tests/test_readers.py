"""General readers: plain text, HTML, JSONL/JSON/CSV corpora, directories and stdin all give Documents."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from propscope.readers import Problem, ReaderConfig, read_inputs
from propscope.readers.dispatch import sniff_kind
from propscope.schema import Document


def read(paths: list[Path | str], config: ReaderConfig | None = None) -> tuple[list[Document], list[Problem]]:
    items = list(read_inputs([str(p) for p in paths], config))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Problem)]


def test_text_keeps_offsets_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("\ufeffHeadline\r\n\r\nКиев «лжёт», says the minister.\r\n".encode())
    (doc,), problems = read([path])
    assert problems == []
    assert doc.id == "story" and doc.source == str(path)
    assert doc.text == "Headline\r\n\r\nКиев «лжёт», says the minister.\r\n"  # BOM dropped, nothing else changed
    assert doc.title == "Headline"
    assert doc.text[12:16] == "Киев"


def test_text_invalid_utf8_is_replaced_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Good start \xff and a good end of the article.")
    (doc,), (warning,) = read([path])
    assert "\ufffd" in doc.text and doc.text.endswith("good end of the article.")
    assert not warning.fatal and str(warning).startswith(f"warning: {path}: invalid UTF-8 at byte 11")


def test_text_legacy_cyrillic_encoding_is_guessed(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    text = "Запад снова лжёт о войне, заявил министр иностранных дел в среду вечером."
    path.write_bytes(text.encode("cp1251"))
    (doc,), (warning,) = read([path])
    assert doc.text == text
    assert "cp1251" in warning.message and not warning.fatal


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Short news item in UTF-16.".encode("utf-16"))
    (doc,), problems = read([path])
    assert doc.text == "Short news item in UTF-16." and problems == []


HTML = """<!DOCTYPE html><html lang="en"><head><title>Big lie exposed | Daily Truth</title>
<link rel="canonical" href="https://dailytruth.example/news/big-lie">
<meta property="og:site_name" content="Daily Truth"><meta name="author" content="Ivan Petrov">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Big lie exposed</h1>
<p>The West has lied again about everything that matters to ordinary people in the region, officials said.</p>
<p>A second paragraph with more words, because the extractor wants some length before it trusts a page.</p>
</article><footer>Copyright Daily Truth</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    (doc,), problems = read([path])
    assert problems == []
    assert "The West has lied again" in doc.text and "second paragraph" in doc.text
    assert "Home | World" not in doc.text and "Copyright" not in doc.text
    assert doc.title == "Big lie exposed"
    assert doc.author == "Ivan Petrov"
    assert doc.published == "2024-03-05"
    assert doc.outlet == "Daily Truth"
    assert doc.source == str(path)
    assert doc.meta["url"] == "https://dailytruth.example/news/big-lie"
    assert doc.meta["declared_language"] == "en"
    assert doc.language is None  # the lang attribute is only a hint; the language analyzer decides


def test_html_from_stdin_uses_url_as_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HTML.encode())))
    (doc,), _ = read(["-"])
    assert doc.source == "https://dailytruth.example/news/big-lie"
    assert doc.id.startswith("sha1-")


def test_html_without_article_falls_back_to_page_text(tmp_path: Path) -> None:
    path = tmp_path / "tiny.htm"
    path.write_text("<html><body><div>Just one line.</div></body></html>", encoding="utf-8")
    docs, problems = read([path])
    if docs:  # trafilatura may or may not call this an article; either way there is text and no error
        assert "Just one line." in docs[0].text
        assert all(not p.fatal for p in problems)
    else:
        pytest.fail(f"no document: {problems}")


def test_html_without_text_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title></title></head><body><script>var x=1;</script></body></html>")
    docs, (problem,) = read([path])
    assert docs == [] and problem.fatal and problem.path == str(path)


def write_jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_fields_fallbacks_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    write_jsonl(
        path,
        [
            json.dumps(
                {"id": 7, "text": "First article.", "title": "One", "url": "https://a.example/1", "lang": "en-GB"}
            ),
            '{"text": "broken',
            "",
            json.dumps({"content": "Second article.", "date": "2024-01-02", "outlet": "RT"}),
            json.dumps({"title": "no text here"}),
            json.dumps(["not", "an", "object"]),
        ],
    )
    docs, problems = read([path])
    assert [(d.id, d.text, d.title, d.language) for d in docs] == [
        ("7", "First article.", "One", "en"),
        ("feed:4", "Second article.", None, None),
    ]
    assert docs[0].meta["url"] == "https://a.example/1"
    assert docs[1].published == "2024-01-02" and docs[1].outlet == "RT"
    assert [(p.line, p.fatal) for p in problems] == [(2, True), (5, True), (6, True)]
    assert all(str(p).startswith(f"error: {path}:") for p in problems)
    assert "malformed JSON" in problems[0].message and "no text" in problems[1].message


def test_jsonl_configured_fields_and_extra(tmp_path: Path) -> None:
    path = tmp_path / "custom.ndjson"
    record = {"story": {"body": "Nested body."}, "headline": "H", "uid": "x1", "channel": "@news"}
    write_jsonl(path, [json.dumps(record), json.dumps({"text": "ignored: not the configured field"})])
    config = ReaderConfig(text_field="story.body", title_field="headline", id_field="uid", extra={"channel": "channel"})
    docs, problems = read([path], config)
    assert [(d.id, d.text, d.title, d.meta["channel"]) for d in docs] == [("x1", "Nested body.", "H", "@news")]
    assert [(p.line, "story.body" in p.message) for p in problems] == [(2, True)]


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"body": "One."}, {"body": "Two."}, {"nope": 1}]), encoding="utf-8")
    docs, problems = read([path])
    assert [(d.id, d.text) for d in docs] == [("items:1", "One."), ("items:2", "Two.")]
    assert [p.line for p in problems] == [3]


def test_csv_multiline_records_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text('title,body,date\nA,"Line one\nline two",2024-05-01\nB,,2024-05-02\nC,Third,\n', encoding="utf-8")
    docs, problems = read([path])
    assert [(d.id, d.text, d.title, d.published) for d in docs] == [
        ("news:2", "Line one\nline two", "A", "2024-05-01"),
        ("news:5", "Third", "C", None),
    ]
    assert [(p.line, p.path) for p in problems] == [(4, str(path))]


def test_tsv_and_semicolon_csv(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text("text\tid\nTab separated.\tt1\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id;text\ns1;Semicolon, separated.\ns2;Two, three\n", encoding="utf-8")
    docs, problems = read([tmp_path / "a.tsv", tmp_path / "b.csv"])
    assert [(d.id, d.text) for d in docs] == [
        ("t1", "Tab separated."),
        ("s1", "Semicolon, separated."),
        ("s2", "Two, three"),
    ]
    assert problems == []


def test_directory_recursive_sorted_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two.", encoding="utf-8")
    (tmp_path / "one.txt").write_text("One.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text("Hidden too.", encoding="utf-8")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "two.txt").write_text("Other two.", encoding="utf-8")
    docs, problems = read([tmp_path])
    assert [(d.id, d.text) for d in docs] == [("one", "One."), ("b/two", "Two."), ("c/two", "Other two.")]
    assert problems == []


def test_empty_directory_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / ".only-hidden").write_text("x", encoding="utf-8")
    docs, (problem,) = read([tmp_path])
    assert docs == [] and str(problem) == f"error: {tmp_path}: no files in this directory"


def test_stdin_text_and_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Plain words from a pipe.\n")))
    (doc,), _ = read(["-"])
    assert doc.text == "Plain words from a pipe.\n" and doc.source is None
    feed = b'{"text": "a"}\n{"text": "b"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(feed)))
    docs, _ = read(["-"])
    assert [(d.id, d.text) for d in docs] == [("stdin:1", "a"), ("stdin:2", "b")]


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"<!DOCTYPE html><html>", "html"),
        (b'  {"text": "x"}\n{"text": "y"}', "jsonl"),
        (b'{\n  "text": "x"\n}', "json"),
        (b"[{}]", "json"),
        (b"Just words.", "text"),
    ],
)
def test_sniff_kind(head: bytes, kind: str) -> None:
    assert sniff_kind(head) == kind


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_pipe_path_is_read_bounded() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"Words from process substitution.")
    os.close(write_end)
    try:
        (doc,), problems = read([f"/dev/fd/{read_end}"])
    finally:
        os.close(read_end)
    assert doc.text == "Words from process substitution." and problems == []
