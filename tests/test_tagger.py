"""The ONNX token tagger runtime: windows, decoding to character spans, and a whole run on a tiny hand-made model."""

import json
import re

import numpy as np
import pytest

from propscope.models.tagger import (
    TaggerConfig,
    TokenTagger,
    average_windows,
    decode,
    paragraph_labels,
    paragraph_scores,
    snap,
    window_batch,
    windows,
)


def test_windows_cover_every_token_with_overlap():
    spans = windows(1000, window=130, stride=96)
    covered = np.zeros(1000, dtype=int)
    for s, e in spans:
        assert e - s == 128
        covered[s:e] += 1
    assert covered.min() >= 1
    assert spans[-1][1] == 1000
    assert (covered >= 2).sum() > 0


def test_short_text_is_one_window_and_empty_text_one_empty_window():
    assert windows(10, 128, 96) == [(0, 10)]
    assert windows(0, 128, 96) == [(0, 0)]


def test_window_batch_adds_cls_sep_and_pads():
    cfg = TaggerConfig(labels=["A"], thresholds=[0.5])
    ids, mask = window_batch([np.array([5, 6, 7]), np.array([8])], cfg)
    assert ids.tolist() == [[101, 5, 6, 7, 102], [101, 8, 102, 0, 0]]
    assert mask.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]


def test_average_windows_means_over_overlaps():
    probs = average_windows(4, [(0, 3), (1, 4)], [np.full((3, 1), 0.2), np.full((3, 1), 0.6)], 1)
    assert np.allclose(probs[:, 0], [0.2, 0.4, 0.4, 0.6])


def test_snap_grows_to_words_and_trims_punctuation():
    text = "They are traitors, all of them."
    assert text[slice(*snap(text, 10, 14))] == "traitors"  # inside the word
    assert text[slice(*snap(text, 8, 18))] == "traitors"  # trailing comma and leading space trimmed
    start, end = snap(text, 17, 18)  # only punctuation: nothing left
    assert start == end


def test_decode_merges_runs_per_label_and_respects_thresholds():
    text = "aa bb cc dd ee"
    offsets = np.array([[0, 2], [3, 5], [6, 8], [9, 11], [12, 14]])
    probs = np.array([[0.9, 0.1], [0.8, 0.1], [0.1, 0.1], [0.7, 0.6], [0.1, 0.6]])
    spans = decode(text, offsets, probs, ["A", "B"], [0.5, 0.55])
    assert spans == [
        ("A", 0, 5, pytest.approx(0.9)),
        ("A", 9, 11, pytest.approx(0.7)),
        ("B", 9, 14, pytest.approx(0.6)),
    ]
    joined = decode(text, offsets, probs, ["A", "B"], [0.5, 0.55], gap=1)
    assert ("A", 0, 11, pytest.approx(0.9)) in joined


def test_decode_grow_extends_a_span_over_weaker_neighbours_only_from_a_strong_token():
    text = "aa bb cc dd ee ff gg"
    offsets = np.array([[0, 2], [3, 5], [6, 8], [9, 11], [12, 14], [15, 17], [18, 20]])
    # one strong token with weaker neighbours, then a weak run that never reaches the threshold
    probs = np.array([[0.2], [0.5], [0.9], [0.45], [0.1], [0.5], [0.5]])
    assert decode(text, offsets, probs, ["A"], [0.8]) == [("A", 6, 8, pytest.approx(0.9))]
    grown = decode(text, offsets, probs, ["A"], [0.8], grow=0.5)
    assert grown == [("A", 3, 11, pytest.approx(0.9))]  # "bb cc dd"; "ff gg" has no token at 0.8
    assert decode(text, offsets, probs, ["A"], [0.8], grow=0.2) == [("A", 0, 11, pytest.approx(0.9))]


def test_config_without_grow_decodes_as_before(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"labels": ["A"], "thresholds": [0.5], "gap": 1}))
    assert TaggerConfig.load(path).grow == 1.0


def test_config_round_trip_keeps_extra_fields(tmp_path):
    cfg = TaggerConfig(labels=["A", "B"], thresholds=[0.3, 0.4], window=64, stride=48, extra={"version": "x"})
    path = tmp_path / "config.json"
    path.write_text(json.dumps(cfg.to_dict()))
    again = TaggerConfig.load(path)
    assert again.labels == ["A", "B"] and again.window == 64 and again.extra["version"] == "x"


# --- a whole run on a tiny model -----------------------------------------------------------------------------------

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "traitors", "lie", "minister", "said", "terrible", "."]


def _tiny_model(folder, window: int = 6, stride: int = 3) -> None:
    """A word-level tokenizer and an ONNX graph whose logits are a per-word lookup: 'traitors' is label A,
    'terrible' is label B, so the expected spans are known exactly."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {w: i for i, w in enumerate(WORDS)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace()])
    tok.save(str(folder / "tokenizer.json"))
    table = np.full((len(WORDS), 2), -6.0, dtype=np.float32)
    table[vocab["traitors"], 0] = 4.0
    table[vocab["terrible"], 1] = 3.0
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "input_ids"], ["raw"]),
            helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["m", "axis"], ["m3"]),
            helper.make_node("Mul", ["raw", "m3"], ["logits"]),
        ],
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "s"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "s"]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["b", "s", 2])],
        [
            helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.ravel()),
            helper.make_tensor("axis", TensorProto.INT64, [1], [-1]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    cfg = TaggerConfig(["A", "B"], [0.5, 0.5], window=window, stride=stride, cls_id=2, sep_id=3, pad_id=0)
    (folder / "config.json").write_text(json.dumps(cfg.to_dict()))


def test_tagger_finds_known_words_across_windows_and_batches(tmp_path):
    _tiny_model(tmp_path)
    tg = TokenTagger(tmp_path, threads=1, batch_size=2)
    texts = [
        "the minister said the traitors lie .",
        "",
        "terrible terrible traitors the minister said the minister said the traitors .",
    ]
    tagged = tg.tag(texts)
    assert [(label, texts[0][s:e]) for label, s, e, _ in tagged[0]] == [("A", "traitors")]
    assert tagged[1] == []
    found = [(label, texts[2][s:e]) for label, s, e, _ in tagged[2]]
    assert found == [("B", "terrible terrible"), ("A", "traitors"), ("A", "traitors")]
    assert all(0.5 < score < 1.0 for *_, score in tagged[2])


def test_session_is_opened_lazily(tmp_path):
    _tiny_model(tmp_path)
    tg = TokenTagger(tmp_path)
    assert tg._session is None
    tg.tag(["the traitors"])
    assert tg._session is not None


def test_runtime_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, propscope.models.tagger, propscope.analyzers.techniques; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_paragraph_labels_take_the_best_token_of_each_paragraph():
    offsets = np.array([[0, 3], [4, 7], [8, 11], [12, 15]])
    probs = np.array([[0.2, 0.9], [0.6, 0.1], [0.1, 0.1], [0.3, 0.5]], dtype=np.float32)
    paragraphs = [(0, 7), (8, 11), (12, 15), (20, 30)]  # the last one has no token
    assert paragraph_scores(offsets, probs, paragraphs)[0].tolist() == pytest.approx([0.6, 0.9])
    got = paragraph_labels(offsets, probs, paragraphs, ["A", "B"], [0.5, 0.5])
    assert got == [["A", "B"], [], ["B"], []]


def test_gap_merge_never_crosses_a_sentence_break():
    text = "their true face. These shameless men lie"
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    hot = {"face", "shameless", "lie"}
    probs = np.array([[0.9 if text[a:b] in hot else 0.1] for a, b in words], dtype=np.float32)
    spans = decode(text, np.array(words), probs, ["A"], [0.5], gap=2)
    assert [text[s:e] for _, s, e, _ in spans] == ["face", "shameless men lie"]
