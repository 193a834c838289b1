"""A shallower tagger to fine-tune, started from some of a shipped tagger's layers.

The shipped tagger exists only as an int8 ONNX graph (its fp32 checkpoint is not kept), so the weights are read
back from the graph and dequantized; the int8 graph runs on exactly those weights. ``start_gap`` says how close an
untrained student's probabilities start to the full model's, which is how layer subsets were compared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import torch
from transformers import BertConfig, BertForTokenClassification

from propscope.models.tagger import TaggerConfig

QUANT = "_quantized"


def onnx_weights(graph: Path) -> dict[str, np.ndarray]:
    """A BertForTokenClassification state dict from a dynamically quantized tagger graph, dequantized."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(graph))
    init = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}

    def dequantized(name: str) -> np.ndarray:
        q = init[name + QUANT].astype(np.float32)
        return (q - init[name + "_zero_point"].astype(np.float32)) * init[name + "_scale"].astype(np.float32)

    out: dict[str, np.ndarray] = {}
    for node in model.graph.node:
        if node.op_type == "MatMulInteger":  # "/bert/encoder/layer.0/attention/self/query/MatMul_quant"
            module = node.name.strip("/").removesuffix("/MatMul_quant").replace("/", ".")
            out[module + ".weight"] = dequantized(node.input[1].removesuffix(QUANT)).T  # ONNX (in, out)
    for name, value in init.items():
        if name.endswith(QUANT) and ".embeddings." in name:
            out[name.removesuffix(QUANT)] = dequantized(name.removesuffix(QUANT))
        elif name.startswith(("bert.", "classifier.")) and not name.endswith(("_scale", "_zero_point", QUANT)):
            out[name] = value
    return out


def student(model_dir: Path, layers: list[int], base: Path) -> BertForTokenClassification:
    """The tagger in ``model_dir`` with only ``layers`` (0-based, in order) of its encoder; ``base`` gives the
    BERT configuration the tagger was fine-tuned from."""
    labels = TaggerConfig.load(model_dir / "config.json").labels
    weights = onnx_weights(model_dir / "model.onnx")
    config = BertConfig.from_pretrained(
        str(base),
        num_hidden_layers=len(layers),
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    model = BertForTokenClassification(config)
    state = {}
    for name, value in weights.items():
        if ".encoder.layer." in name:
            layer = int(name.split(".encoder.layer.")[1].split(".")[0])
            if layer not in layers:
                continue
            name = name.replace(f".encoder.layer.{layer}.", f".encoder.layer.{layers.index(layer)}.")
        state[name] = torch.from_numpy(np.array(value))
    missing, unexpected = model.load_state_dict(state, strict=False)
    left = [m for m in missing if "position_ids" not in m and ".pooler." not in m]
    if unexpected or left:
        raise ValueError(f"{model_dir}: weights do not fit a BERT tagger ({unexpected or left})")
    return model.eval()


def save_student(model: BertForTokenClassification, base: Path, out: Path) -> Path:
    """Save ``model`` with ``base``'s tokenizer files, as a folder ``--base`` accepts."""
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        if (base / name).exists():
            shutil.copy(base / name, out / name)
    return out


@torch.no_grad()
def start_gap(full: torch.nn.Module, model: torch.nn.Module, ids: np.ndarray, mask: np.ndarray) -> float:
    """Mean binary cross-entropy of ``model``'s probabilities against ``full``'s on the real tokens: how far a
    student starts from the model it was cut from."""
    feeds = {"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(mask)}
    target = torch.sigmoid(full(**feeds).logits)
    logits = model(**feeds).logits
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none")
    return float(loss[torch.from_numpy(mask).bool()].mean())
