"""Sentence units, numpy heads, the genre/frames/paragraph analyzers and their metrics, on hand-made fixtures."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.analyzers.frames import FramesAnalyzer
from propscope.analyzers.genre import GenreAnalyzer
from propscope.analyzers.paragraph_techniques import ParagraphTechniquesAnalyzer, line_spans, paragraph_features
from propscope.eval.frames import micro_f1
from propscope.eval.genre import macro_f1
from propscope.models import embedder as emb_mod
from propscope.models.embedder import DocEmbedding, Embedder, pool, split_units
from propscope.models.heads import HEADS_DIR, Head, HeadError, load_head, save_head
from propscope.schema import Analysis, Document

# --- a deterministic stand-in encoder: one dimension per keyword ------------------------------------------------

KEYWORDS = ("war", "climate", "joke", "money")


class KeywordEncoder:
    dim = len(KEYWORDS)
    calls = 0

    def __init__(self, threads: int) -> None:
        pass

    def encode(self, texts: list[str]) -> np.ndarray:
        KeywordEncoder.calls += 1
        rows = np.array([[t.lower().count(k) for k in KEYWORDS] for t in texts], dtype=np.float32) + 0.01
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture
def fake_backend(monkeypatch):
    monkeypatch.setitem(emb_mod._ENCODERS, "fake", KeywordEncoder)
    monkeypatch.setattr(emb_mod, "_SHARED", {})
    KeywordEncoder.calls = 0
    return "fake"


def keyword_head(labels: list[str], columns: list[int], kind: str = "multilabel", parts: int = 2) -> Head:
    """Label j fires on the keyword ``columns[j]``, read from the first two of ``parts`` pooled vectors (mean, max)."""
    d = len(KEYWORDS)
    w = np.zeros((parts * d, len(labels)), dtype=np.float32)
    for j, c in enumerate(columns):
        w[c, j] = w[d + c, j] = 6.0
    b = np.full(len(labels), -6.5, dtype=np.float32)  # a text without the keyword pools to 0.5: stays off
    return Head(labels, w, b, kind, info={"backend": "fake", "threshold": 0.5, "version": "test-1"})


# --- units -------------------------------------------------------------------------------------------------------


def test_split_units_gives_sentences_within_lines():
    text = "First one. Second one!\n\n  Third line here?  \n..."
    units = split_units(text)
    assert [text[s:e] for s, e in units] == ["First one.", "Second one!", "Third line here?"]


def test_split_units_cuts_long_sentences_at_spaces():
    text = "word " * 200
    units = split_units(text, max_chars=100)
    assert len(units) > 5
    assert all(e - s <= 100 for s, e in units)
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in units)


def test_split_units_keeps_offsets_with_crlf():
    text = "Привет мир.\r\nВторая строка."
    assert [text[s:e] for s, e in split_units(text)] == ["Привет мир.", "Вторая строка."]


def test_pool_is_mean_then_max():
    v = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
    assert pool(v, 2).tolist() == [0.5, 1.0, 1.0, 2.0]
    assert pool(np.zeros((0, 2), np.float32), 2).tolist() == [0, 0, 0, 0]


def test_embedder_caches_by_text(fake_backend):
    e = Embedder(fake_backend)
    a = e.embed("War. Climate.")
    b = e.embed("War. Climate.")
    assert a is b and KeywordEncoder.calls == 1
    assert a.vectors.shape == (2, len(KEYWORDS))
    e.embed_many(["War.", "War. Climate.", "Money."])
    assert KeywordEncoder.calls == 2  # one call for the two new texts


def test_embedder_batch_larger_than_cache(fake_backend):
    e = Embedder(fake_backend, cache_size=2)
    texts = [f"War number {i}." for i in range(5)] + ["War number 0."]
    out = e.embed_many(texts)
    assert len(out) == 6 and out[0] is out[5]


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown embedding backend"):
        Embedder("nope")


# --- heads -------------------------------------------------------------------------------------------------------


def test_head_round_trip(tmp_path):
    head = keyword_head(["a", "b"], [0, 1])
    head.thresholds = np.array([0.3, 0.7], dtype=np.float32)
    save_head(head, tmp_path, "x")
    loaded = load_head("x", tmp_path)
    assert loaded.labels == ["a", "b"] and loaded.info["version"] == "test-1"
    assert np.allclose(loaded.thresholds, [0.3, 0.7])
    x = np.array([1, 0, 0, 0, 1, 0, 0, 0], dtype=np.float32)
    assert loaded.active(loaded.scores(x)).tolist() == [True, False]


def test_missing_head_names_the_folder(tmp_path):
    with pytest.raises(HeadError, match="not found"):
        load_head("nothing", tmp_path)


def test_head_refuses_wrong_feature_size():
    with pytest.raises(HeadError, match="dims"):
        keyword_head(["a"], [0]).scores(np.zeros(3, np.float32))


def test_multiclass_scores_sum_to_one():
    head = keyword_head(["a", "b", "c"], [0, 1, 2], kind="multiclass")
    s = head.scores(np.array([1, 0, 0, 0, 1, 0, 0, 0], np.float32))
    assert s.sum() == pytest.approx(1.0) and int(s.argmax()) == 0


# --- analyzers ---------------------------------------------------------------------------------------------------


def _with_heads(tmp_path, fake_backend, heads: dict[str, Head]):
    for name, head in heads.items():
        save_head(head, tmp_path, name)
    return str(tmp_path)


def test_genre_picks_the_best_class(tmp_path, fake_backend):
    folder = _with_heads(tmp_path, fake_backend, {"genre": keyword_head(["opinion", "satire"], [0, 2], "multiclass")})
    analyzer = GenreAnalyzer(folder)
    doc = Document("d", "A joke. Another joke about a joke.")
    genre = analyzer.predict(doc, Analysis(doc))["genre"]
    assert genre.label == "satire" and genre.score > 0.5


def test_frames_lists_labels_over_threshold_best_first(tmp_path, fake_backend):
    head = keyword_head(["Security_and_defense", "Economic", "Morality"], [0, 3, 2])
    folder = _with_heads(tmp_path, fake_backend, {"frames": head})
    doc = Document("d", "War and money. More war. War and money again.")
    frames = FramesAnalyzer(folder).predict(doc, Analysis(doc))["frames"]
    assert [f.label for f in frames] == ["Security_and_defense", "Economic"]
    assert frames[0].score >= frames[1].score


def test_frames_blend_in_the_word_head_the_info_names(tmp_path, fake_backend):
    from propscope.models.lexical import LexicalHead, save_lexical

    head = keyword_head(["Security_and_defense", "Morality"], [0, 2])
    head.info["words"] = {"file": "frames-words.npz", "weight": 0.6}
    folder = _with_heads(tmp_path, fake_backend, {"frames": head})
    w = np.array([[0.0, 20.0]], np.float32)  # "immoral" makes Morality certain, says nothing of the other frame
    save_lexical(
        LexicalHead(["immoral"], np.ones(1, np.float32), w, np.array([0.0, -10.0])), tmp_path / "frames-words.npz"
    )
    doc = Document("d", "War, war and an immoral war.")
    frames = FramesAnalyzer(folder).predict(doc, Analysis(doc))["frames"]
    # Security: 0.4 x (embedding head, high) + 0.6 x 0.5; Morality: 0.4 x ~0 + 0.6 x ~1
    assert [f.label for f in frames] == ["Security_and_defense", "Morality"]
    assert frames[1].score == pytest.approx(0.6, abs=0.01)
    calm = Document("c", "War, war and more war.")
    assert [f.label for f in FramesAnalyzer(folder).predict(calm, Analysis(calm))["frames"]] == ["Security_and_defense"]


@pytest.mark.parametrize("name", ["frames", "genre", "narratives", "paragraph_techniques", "subnarratives"])
def test_shipped_word_heads_fit_their_embedding_heads(name):
    from propscope.models.heads import BlendedHead, load_blended

    blended = load_blended(name)
    assert isinstance(blended, BlendedHead) and blended.words is not None
    assert len(blended.words.bias) == len(blended.labels) and 0 < blended.weight < 1


def test_missing_model_fails_only_when_used(tmp_path):
    analyzer = FramesAnalyzer(str(tmp_path))
    doc = Document("d", "text")
    with pytest.raises(HeadError):
        analyzer.predict(doc, Analysis(doc))


def test_line_spans_skip_blank_lines_and_cr():
    text = "One.\r\n\r\nTwo.\n   \nThree"
    assert [text[s:e] for s, e in line_spans(text)] == ["One.", "Two.", "Three"]


def test_paragraph_features_use_only_that_paragraphs_units():
    emb = DocEmbedding([(0, 3), (4, 7)], np.array([[1, 0], [0, 1]], dtype=np.float32))
    f = paragraph_features(emb, [(0, 3), (4, 7)])
    assert f.shape == (2, 6)
    assert f[0].tolist() == [1, 0, 1, 0, 0.5, 0.5]


def test_paragraph_techniques_act_only_on_non_english(tmp_path, fake_backend):
    head = keyword_head(["Appeal_to_Fear-Prejudice", "Loaded_Language"], [0, 2], parts=3)
    analyzer = ParagraphTechniquesAnalyzer(_with_heads(tmp_path, fake_backend, {"paragraph_techniques": head}))
    text = "La war arrive. War!\nUn joke.\n\nRien."
    fr, en = Document("fr", text, language="fr"), Document("en", text, language="en")
    out = analyzer.predict_batch([fr, en], [Analysis(fr), Analysis(en)])
    assert out[1] == {}
    paragraphs = out[0]["paragraphs"]
    assert [(text[p.start : p.end], p.techniques) for p in paragraphs] == [
        ("La war arrive. War!", ["Appeal_to_Fear-Prejudice"]),
        ("Un joke.", ["Loaded_Language"]),
        ("Rien.", []),
    ]


def test_registered_after_techniques():
    from propscope.pipeline import DEFAULT_ANALYZERS, REGISTRY

    assert REGISTRY["paragraph_techniques"].endswith(":ParagraphTechniquesAnalyzer")
    order = list(DEFAULT_ANALYZERS)
    assert order.index("paragraph_techniques") == order.index("techniques") + 1


# --- metrics, checked against hand computation -----------------------------------------------------------------


def test_macro_f1_by_hand():
    gold = ["opinion", "opinion", "reporting", "satire"]
    pred = ["opinion", "reporting", "reporting", "opinion"]
    # opinion: tp1 fp1 fn1 -> 0.5; reporting: tp1 fp1 fn0 -> 2/3; satire: 0
    assert macro_f1(gold, pred, ["opinion", "reporting", "satire"]) == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_micro_f1_by_hand():
    gold = [["A", "B"], ["C"], []]
    pred = [["A"], ["C", "D"], ["E"]]
    # tp 2, fp 2 (D, E), fn 1 (B) -> 4 / (4 + 3)
    assert micro_f1(gold, pred) == pytest.approx(4 / 7)
    assert micro_f1([[]], [[]]) == 0.0


def test_metrics_refuse_mismatched_lengths():
    with pytest.raises(ValueError):
        micro_f1([["A"]], [])
    with pytest.raises(ValueError):
        macro_f1(["a"], [])


# --- shipped heads ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["genre", "frames", "paragraph_techniques", "narratives", "subnarratives"])
def test_shipped_heads_fit_their_embedder(name):
    head = load_head(name, HEADS_DIR)
    dims = {"use": 512, "e5": 384}[head.info["backend"]]
    per_vector = 3 if name == "paragraph_techniques" else 2
    assert head.dim == per_vector * dims + len(head.info.get("languages", []))
    assert head.info["cv"]["method"]


def test_language_columns_follow_the_head_and_ignore_other_languages():
    from propscope.models.heads import Head, with_language

    head = Head(["A"], np.zeros((4, 1), np.float32), np.zeros(1, np.float32), info={"languages": ["en", "ru"]})
    features = np.ones(2, np.float32)
    assert with_language(head, features, "RU").tolist() == [1, 1, 0, 1]
    assert with_language(head, features, "de").tolist() == [1, 1, 0, 0]
    assert with_language(head, features, None).tolist() == [1, 1, 0, 0]
    plain = Head(["A"], np.zeros((2, 1), np.float32), np.zeros(1, np.float32))
    assert with_language(plain, features, "ru") is features


def test_per_label_thresholds_fit_each_label():
    training = pytest.importorskip("propscope_training.doclabels")
    y = np.array([[1, 1], [1, 0], [0, 1], [0, 0]] * 5)
    scores = np.array([[0.9, 0.9], [0.9, 0.9], [0.3, 0.3], [0.3, 0.9]] * 5, dtype=np.float32)
    # label 0 is separated by any threshold in (0.3, 0.9]. Label 1, by hand (label 0 perfect: 10 TP; 20 positives):
    # all on 2*20/(30+20)=.80, threshold in (0.3, 0.9] 2*15/(25+20)=.67, all off 2*10/(10+20)=.67 -> all on
    t = training.per_label_thresholds(scores, y, start=0.5)
    assert 0.3 < t[0] <= 0.9
    assert t[1] <= 0.3
