"""A shallower tagger cut from an int8 tagger graph, and distillation targets (needs the training extra)."""

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnx")

from transformers import BertConfig, BertForTokenClassification  # noqa: E402

from propscope.models.tagger import Encoded  # noqa: E402
from propscope_training import tagger_student as ts  # noqa: E402
from propscope_training.tagger_torch import quantize_tagger, with_teacher  # noqa: E402

LABELS = ["A", "B"]


def _tiny_tagger(tmp_path):
    """A 3-layer BERT tagger exported and quantized the way the shipped one is, and its BERT config folder."""
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=50,
        hidden_size=32,
        num_hidden_layers=3,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=40,
        num_labels=len(LABELS),
    )
    model = BertForTokenClassification(config).eval()
    with torch.no_grad():  # distinct values everywhere: the exporter shares identical tensors (zero biases)
        for p in model.parameters():
            p.normal_(0.0, 0.2)
    base = tmp_path / "base"
    config.save_pretrained(base)
    folder = tmp_path / "tagger"
    folder.mkdir()
    ids = torch.randint(5, 50, (2, 12))
    quantize_tagger(model, folder, ids)  # as the shipped taggers are exported
    (folder / "config.json").write_text(json.dumps({"labels": LABELS, "thresholds": [0.5, 0.5]}))
    return model, folder, base, ids


def test_weights_read_back_from_the_int8_graph_match_the_model(tmp_path):
    model, folder, _, _ = _tiny_tagger(tmp_path)
    weights = ts.onnx_weights(folder / "model.onnx")
    state = model.state_dict()
    for name in (
        "bert.encoder.layer.2.output.dense.weight",
        "classifier.weight",
        "bert.embeddings.word_embeddings.weight",
    ):
        original = state[name].numpy()
        assert weights[name].shape == original.shape
        # int8: within a step of the quantization grid
        assert np.abs(weights[name] - original).max() <= np.abs(original).max() / 100
    assert np.array_equal(weights["classifier.bias"], state["classifier.bias"].numpy())


def test_student_keeps_the_chosen_layers_in_order(tmp_path):
    model, folder, base, ids = _tiny_tagger(tmp_path)
    small = ts.student(folder, [0, 2], base)
    assert small.config.num_hidden_layers == 2
    kept = small.state_dict()["bert.encoder.layer.1.attention.self.query.weight"]
    want = model.state_dict()["bert.encoder.layer.2.attention.self.query.weight"]
    assert torch.allclose(kept, want, atol=float(want.abs().max()) / 100)
    full = ts.student(folder, [0, 1, 2], base)
    mask = np.ones(ids.shape, dtype=np.int64)
    assert ts.start_gap(full, small, ids.numpy(), mask) > ts.start_gap(full, full, ids.numpy(), mask)
    saved = ts.save_student(small, base, tmp_path / "student")
    assert BertForTokenClassification.from_pretrained(str(saved)).config.num_hidden_layers == 2


def test_teacher_share_blends_targets(tmp_path, monkeypatch):
    enc = Encoded(np.array([7, 8]), np.array([[0, 1], [2, 3]]))
    gold = [np.array([[1.0, 0.0], [0.0, 0.0]], dtype=np.float32)]
    teacher = np.array([[0.6, 0.2], [0.4, 0.0]], dtype=np.float32)

    class Teacher:
        def __init__(self, folder, threads):
            self.config = type("C", (), {"labels": LABELS})

        def probabilities(self, texts):
            return [(enc, teacher)]

    monkeypatch.setattr("propscope.models.tagger.TokenTagger", Teacher)
    mixed = with_teacher(gold, [enc], ["a b"], LABELS, tmp_path, 0.25)
    assert np.allclose(mixed[0], [[0.9, 0.05], [0.1, 0.0]])
    with pytest.raises(ValueError, match="other labels"):
        with_teacher(gold, [enc], ["a b"], ["B", "A"], tmp_path, 0.25)
