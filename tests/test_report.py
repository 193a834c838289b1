"""HTML and Markdown reports, built from hand-made analyses (no analyzers needed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from propscope.report import render
from propscope.report.html import render_document_fragment, render_html, report_css, report_js
from propscope.report.markdown import escape, render_markdown
from propscope.report.segments import Mark, split
from propscope.schema import (
    Analysis,
    AnalyzerError,
    Claim,
    Document,
    Entity,
    Label,
    Marker,
    Narrative,
    NarrativeScore,
    Offsets,
    Paragraph,
    Quantity,
    Reliability,
    SourceInfo,
    Speaker,
    TechniqueSpan,
)
from propscope.taxonomy import describe

TEXT = (
    "Pyongyang and Moscow | a new chapter\n"
    "\n"
    "By Anna Example\n"
    "\n"
    "The West is panicking again. According to South Korean intelligence, about 1 million shells were "
    "sent north, but spokesman Oleg Sample denied the reports, calling them slander.\n"
    "Hostile pundits <script>alert(1)</script> and <img src=x onerror=alert(1)> cannot stop real friendship.\n"
    "\n"
    "Stay tuned to our Telegram channel!"
)


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def tspan(doc: Document, technique: str, needle: str, score: float) -> TechniqueSpan:
    start, end = at(doc.text, needle)
    return TechniqueSpan(technique, start, end, doc.text[start:end], score)


def sample_analysis(doc_id: str = "art1") -> Analysis:
    doc = Document(
        id=doc_id,
        text=TEXT,
        title="Pyongyang and Moscow <b>new</b>",
        language="en",
        source="examples/art1.txt",
        author="Anna Example",
    )
    a = Analysis(document=doc)
    a.techniques = [
        tspan(doc, "Loaded_Language", "panicking", 0.91),
        tspan(doc, "Doubt", "The West is panicking again", 0.55),
        tspan(doc, "Name_Calling-Labeling", "Hostile pundits", 0.8),
        tspan(doc, "Loaded_Language", "real friendship", 0.6),
        tspan(doc, "Made_Up<i>", "cannot stop", 0.2),
    ]
    c_start, c_end = at(TEXT, "about 1 million shells were sent north")
    s_start, s_end = at(TEXT, "South Korean intelligence")
    d_start, d_end = at(TEXT, "the reports")
    o_start, o_end = at(TEXT, "spokesman Oleg Sample")
    a.claims = [
        Claim(c_start, c_end, TEXT[c_start:c_end], Speaker("South Korean intelligence", s_start, s_end),
              "according to", hedged=True, quantities=[Quantity("about 1 million shells", 1e6, "shells")],
              hedges=["about"]),
        Claim(d_start, d_end, TEXT[d_start:d_end], Speaker("spokesman Oleg Sample", o_start, o_end), "denied",
              denial=True),
    ]  # fmt: skip
    b_start, b_end = at(TEXT, "By Anna Example")
    t_start, t_end = at(TEXT, "Stay tuned to our Telegram channel")
    a.source = SourceInfo(
        outlet="Example Herald",
        domain="herald.example",
        reliability=Reliability("state-affiliated", "runs state talking points", "my-list.csv"),
        markers=[
            Marker("byline", b_start, b_end, TEXT[b_start:b_end]),
            Marker("channel_call", t_start, t_end, TEXT[t_start:t_end]),
        ],
    )
    e_start, e_end = at(TEXT, "The West is panicking again.")
    a.narratives = [Narrative("URW: Discrediting the West", "The West is weak", 0.72, [Offsets(e_start, e_end)])]
    w1, w2 = at(TEXT, "The West"), at(TEXT, "Moscow")
    a.entities = [
        Entity("the West", [Offsets(*w1)], role="Antagonist", fine_roles=["Incompetent"], score=0.66),
        Entity("Moscow", [Offsets(*w2)], role="Protagonist"),
    ]
    a.paragraphs = [Paragraph(0, 36, []), Paragraph(e_start, len(TEXT), ["Loaded_Language", "Doubt"])]
    a.genre = Label("opinion", 0.81)
    a.frames = [Label("Security_and_defense", 0.7)]
    a.errors = [AnalyzerError("frames", "model file <missing>")]
    a.models = {"techniques": "test-1", "claims": "rules-1"}
    return a


class TextOf(HTMLParser):
    """Collects the character data inside the first ``div.ps-text``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif tag == "div" and ("class", "ps-text") in attrs and not self.done:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if not self.depth:
                self.done = True

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_in_page(html: str) -> str:
    parser = TextOf()
    parser.feed(html)
    return "".join(parser.parts)


# ---- segments ----


def test_split_covers_text_and_orders_most_specific_first():
    long = Mark("technique", "Doubt", 0, 10)
    short = Mark("technique", "Loaded_Language", 4, 6)
    segs = split(12, [long, short])
    assert [(s.start, s.end) for s in segs] == [(0, 4), (4, 6), (6, 10), (10, 12)]
    assert [m.key for m in segs[1].marks] == ["Loaded_Language", "Doubt"]
    assert segs[3].marks == []


def test_split_drops_empty_and_clips_out_of_range_marks():
    segs = split(5, [Mark("technique", "Doubt", 3, 3), Mark("claim", "1", 2, 99)])
    assert [(s.start, s.end, len(s.marks)) for s in segs] == [(0, 2, 0), (2, 5, 1)]


# ---- HTML ----


def test_html_escapes_article_text_title_labels_and_errors():
    page = render_html([sample_analysis()])
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Pyongyang and Moscow &lt;b&gt;new&lt;/b&gt;" in page
    assert "Made_Up&lt;i&gt;" in page and "model file &lt;missing&gt;" in page
    assert page.count("<script") == 1  # only the report's own toggle script


def test_html_page_is_self_contained():
    page = render_html([sample_analysis()])
    assert not re.search(r"""<[^>]*\s(?:src|href)\s*=\s*(?!["']?#)""", page)
    assert "@import" not in page and "url(" not in page
    assert "<style>" in page and ".ps-seg" in page


def test_html_text_round_trips_exactly_with_line_breaks():
    a = sample_analysis()
    assert text_in_page(render_html([a])) == a.document.text


def test_html_overlapping_spans_stack_most_specific_first():
    page = render_html([sample_analysis()])
    pattern = r'<span class="[^"]*ps-tech[^"]*" data-t="([^"]+)" data-c="([^"]+)" style="([^"]+)"[^>]*>panicking<'
    seg = re.search(pattern, page)
    assert seg, "the overlap segment is missing"
    assert seg.group(1) == "Loaded_Language Doubt"
    assert seg.group(3) == "background:#b8ede6;box-shadow:inset 0 -3px 0 #ffc9de"
    assert "Loaded Language (0.91): Words and phrases" in page  # hover: name, score, definition


def test_html_legend_counts_and_toggles():
    page = render_html([sample_analysis()])
    boxes = re.findall(r'class="ps-toggle" value="([^"]+)"', page)
    assert boxes == ["Name_Calling-Labeling", "Doubt", "Loaded_Language", "Made_Up&lt;i&gt;"]
    assert "Loaded Language (2)</label>" in page and "Doubt (1)</label>" in page
    assert 'class="ps-layer" value="claim"' in page and 'value="marker"' in page
    assert "ps-toggle" in report_js() and ".ps-off" in report_css()


def test_html_lists_claims_source_narratives_actors_genre_frames_errors():
    page = render_html([sample_analysis()])
    assert 'href="#ps-d1-c2"' in page and 'id="ps-d1-c2"' in page
    assert "spokesman Oleg Sample" in page and "ps-badge-denial" in page and "ps-badge-hedged" in page
    assert "about 1 million shells (= 1,000,000 shells)" in page
    assert "state-affiliated" in page and "herald.example" in page and "channel call" in page
    assert "URW: Discrediting the West" in page and 'href="#ps-d1-n1-e1"' in page
    assert "ps-role-villain" in page and "ps-role-hero" in page and "Antagonist" in page and "Incompetent" in page
    genre, frame = describe("genres", "opinion"), describe("frames", "Security_and_defense")
    assert f'title="{genre.definition}">{genre.name} 0.81</span>' in page
    assert f">{frame.name} 0.70</span>" in page
    assert "Some analyses failed" in page and "<code>frames</code>" in page
    assert "Paragraph-level techniques" in page


def closest_only() -> Analysis:
    """The sample with no narrative kept, only the scores that came closest."""
    a = sample_analysis()
    a.narratives = []
    a.narrative_scores = [
        NarrativeScore("URW: Discrediting the West, Diplomacy", 0.35, 0.45),
        NarrativeScore("URW: Praise of Russia", 0.32, 0.45),
        NarrativeScore("URW: Distrust towards Media", 0.3, 0.45),
        NarrativeScore("URW: Amplifying war-related fears", 0.25, 0.45),
    ]
    return a


def test_closest_narratives_shown_only_where_none_was_kept():
    west = describe("narratives", "URW: Discrediting the West, Diplomacy").name
    fears = describe("narratives", "URW: Amplifying war-related fears").name
    md, page = render_markdown([closest_only()]), render_html([closest_only()])
    assert f"None reached the score it needs here. Closest:\n\n- {escape(west)} (0.35; needs 0.45)\n" in md
    assert "None reached the score it needs here" in page and "0.35; needs 0.45" in page
    assert fears not in md and fears not in page  # three at most
    far = closest_only()
    far.narrative_scores = [NarrativeScore("URW: Praise of Russia", 0.2, 0.45)]  # under half what it needed
    assert "None reached" not in render_markdown([far]) and "None reached" not in render_html([far])
    kept = sample_analysis()
    kept.narrative_scores = closest_only().narrative_scores
    assert "needs 0.45" not in render_markdown([kept]) and "needs 0.45" not in render_html([kept])


def test_html_ids_unique_and_toc_only_for_several_documents():
    one = render_html([sample_analysis()])
    assert "ps-toc" not in one.split("</style>")[1]
    two = render_html([sample_analysis("a"), sample_analysis("b")])
    assert 'href="#ps-d1"' in two and 'href="#ps-d2"' in two
    assert ">Loaded Language 4</span>" in two  # run totals: 2 spans in each document
    ids = re.findall(r'\sid="([^"]+)"', two)
    assert len(ids) == len(set(ids)) > 10


def test_fragment_for_the_web_app():
    frag = render_document_fragment(sample_analysis(), anchor="art-7")
    assert frag.startswith("<article") and "<html" not in frag and "<style" not in frag
    assert 'id="art-7"' in frag and 'id="art-7-c1"' in frag


def test_html_for_a_bare_document():
    a = Analysis(document=Document(id="empty", text="Nothing to see.\nReally."))
    page = render([a], "html")
    assert text_in_page(page) == "Nothing to see.\nReally."
    assert "the techniques analyzer did not run" in page


# ---- Markdown ----


def test_markdown_summary_sections():
    md = render_markdown([sample_analysis()])
    assert md.startswith("# Pyongyang and Moscow \\<b\\>new\\</b\\>\n")
    assert "- **reliability:** state-affiliated — runs state talking points (my-list.csv)" in md
    genre, frame = describe("genres", "opinion").name, describe("frames", "Security_and_defense").name
    assert f"- **genre:** {genre} (0.81)" in md and f"- **frames:** {escape(frame)} (0.70)" in md
    assert "| Loaded Language | Manipulative Wording | 2 |" in md
    assert '- "panicking" — Loaded Language (0.91)' in md
    assert '**spokesman Oleg Sample**: "the reports" **[denial]** (cue: denied)' in md
    assert "hedges: about; quantities: about 1 million shells (= 1,000,000 shells)" in md
    assert '- **URW: Discrediting the West — The West is weak** (0.72)\n  - "The West is panicking again."' in md
    assert '| the West | Antagonist (0.66) | Incompetent | 1: "The West" |' in md
    assert "- `frames`: model file \\<missing\\>" in md


def test_markdown_escapes_html_and_table_pipes():
    md = render_markdown([sample_analysis()])
    assert "<script>" not in md and "<b>" not in md
    a = sample_analysis()
    a.techniques.append(tspan(a.document, "Slogans", "Moscow | a new", 0.5))
    md = render_markdown([a])
    assert '"Moscow \\| a new"' in md
    a.techniques[0] = tspan(a.document, "Loaded_Language", "<script>alert(1)</script>", 0.5)
    assert '"\\<script\\>alert(1)\\</script\\>"' in render_markdown([a])


def test_markdown_several_documents_separated():
    md = render([sample_analysis("a"), sample_analysis("b")], "md")
    assert md.count("\n---\n") == 1 and md.count("- **id:** a") == 1


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_render_dispatch(fmt):
    assert render([sample_analysis()], fmt).strip()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CLICKS = """<script>
function untick(selector) {
  var box = document.querySelector(selector);
  box.checked = false;
  box.dispatchEvent(new Event("change", {bubbles: true}));
}
untick('input.ps-toggle[value="Doubt"]');
untick('input.ps-layer[value="claim"]');
untick('input.ps-toggle[value="Name_Calling-Labeling"]');
</script>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser")
def test_toggles_in_a_browser(tmp_path):
    page = render_html([sample_analysis()]).replace("</body>", CLICKS + "</body>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()]
    dom = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout
    overlap = re.search(r'<span class="([^"]*)" data-t="Loaded_Language Doubt"[^>]*style="([^"]*)"', dom)
    assert overlap and "ps-off" not in overlap.group(1)
    assert "#b8ede6" in overlap.group(2) or "184, 237, 230" in overlap.group(2)
    assert "box-shadow" not in overlap.group(2)  # Doubt's underline is gone
    doubt_only = re.search(r'<span class="([^"]*)" data-t="Doubt"', dom)
    pundits = re.search(r'<span class="([^"]*)" data-t="Name_Calling-Labeling"', dom)
    assert "ps-off" in doubt_only.group(1) and "ps-off" in pundits.group(1)
    assert re.search(r'<article class="ps-doc ps-hide-claim"', dom)
