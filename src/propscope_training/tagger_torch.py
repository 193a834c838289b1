"""Fine-tune, run and export the multi-label token tagger with torch (training side of propscope.models.tagger)."""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForTokenClassification

from propscope.models.onnx_cpu import cpu_session
from propscope.models.tagger import Encoded, TaggerConfig, average_windows, window_batch, windows


@dataclass
class TrainSettings:
    epochs: int = 4
    lr: float = 8e-5
    batch_size: int = 16
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_pos_weight: float = 10.0
    max_steps: int = 0  # >0: stop early (smoke runs)
    seed: int = 13
    train_stride: int = 0  # 0: window - 2, no overlap
    time_budget: float = 0.0  # seconds; >0: the schedule runs on time and training stops when it is spent
    teacher: Path | None = None  # a tagger model folder: its probabilities are blended into the targets
    teacher_weight: float = 0.5


def token_targets(enc: Encoded, spans: list[tuple[str, int, int]], labels: list[str]) -> np.ndarray:
    """(n_tokens, n_labels) 0/1: a token is inside a span of a label when their characters overlap."""
    index = {label: j for j, label in enumerate(labels)}
    y = np.zeros((len(enc.ids), len(labels)), dtype=np.float32)
    starts, ends = enc.offsets[:, 0], enc.offsets[:, 1]
    for label, start, end in spans:
        if label in index:
            y[(starts < end) & (ends > start), index[label]] = 1.0
    return y


def with_teacher(
    targets: list[np.ndarray], encs: list[Encoded], texts: list[str], labels: list[str], teacher: Path, weight: float
) -> list[np.ndarray]:
    """Targets blended with a teacher tagger's run-time probabilities: ``weight`` x teacher + the rest x gold."""
    from propscope.models.tagger import TokenTagger

    tagger = TokenTagger(teacher, threads=torch.get_num_threads())
    if tagger.config.labels != labels:
        raise ValueError(f"teacher {teacher} has other labels than the student")
    out = []
    for y, enc, (t_enc, probs) in zip(targets, encs, tagger.probabilities(texts), strict=True):
        if not np.array_equal(enc.ids, t_enc.ids) or probs.shape != y.shape:
            raise ValueError(f"teacher {teacher} does not share the student's tokenizer")
        out.append(((1.0 - weight) * y + weight * probs).astype(np.float32))
    return out


def window_examples(
    encs: list[Encoded], targets: list[np.ndarray], cfg: TaggerConfig, stride: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(word pieces, targets) per training window; ``stride`` may differ from inference (less overlap is cheaper)."""
    out = []
    for enc, y in zip(encs, targets, strict=True):
        for s, e in windows(len(enc.ids), cfg.window, stride):
            if e > s:
                out.append((enc.ids[s:e], y[s:e]))
    return out


def pos_weights(targets: list[np.ndarray], cap: float) -> torch.Tensor:
    """sqrt(negatives / positives) per label, capped: rare techniques weigh more without swamping precision."""
    y = np.concatenate(targets)
    pos = y.sum(0)
    neg = len(y) - pos
    return torch.tensor(np.minimum(np.sqrt(neg / np.maximum(pos, 1)), cap), dtype=torch.float32)


def _batch(chunk: list[tuple[np.ndarray, np.ndarray]], cfg: TaggerConfig, device: str) -> tuple[torch.Tensor, ...]:
    ids, mask = window_batch([p for p, _ in chunk], cfg)
    y = np.zeros((len(chunk), ids.shape[1], len(cfg.labels)), dtype=np.float32)
    for row, (p, t) in enumerate(chunk):
        y[row, 1 : len(p) + 1] = t
    # Targets only count on word pieces, not on CLS/SEP/padding.
    weight = mask.copy()
    weight[:, 0] = 0
    weight[np.arange(len(chunk)), [len(p) + 1 for p, _ in chunk]] = 0
    return tuple(torch.from_numpy(a).to(device) for a in (ids, mask, y, weight.astype(np.float32)))


def train(
    base: Path,
    examples: list[tuple[np.ndarray, np.ndarray]],
    cfg: TaggerConfig,
    settings: TrainSettings,
    pos_weight: torch.Tensor,
    device: str,
    log=print,
) -> torch.nn.Module:
    """Fine-tune ``base`` on the windows with masked, positive-weighted BCE; returns the model in eval mode."""
    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    model = AutoModelForTokenClassification.from_pretrained(
        str(base), num_labels=len(cfg.labels), dtype=torch.float32
    ).to(device)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": settings.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=settings.lr,
    )
    steps_per_epoch = math.ceil(len(examples) / settings.batch_size)
    total = steps_per_epoch * settings.epochs
    if settings.max_steps:
        total = min(total, settings.max_steps)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight.to(device), reduction="none")
    use_bf16 = device.startswith("cuda")
    rng = random.Random(settings.seed)
    step, started = 0, time.time()
    model.train()
    for epoch in range(settings.epochs):
        # Similar lengths together keeps padding small; batches are shuffled.
        order = sorted(range(len(examples)), key=lambda i: (len(examples[i][0]), rng.random()))
        batches = [order[i : i + settings.batch_size] for i in range(0, len(order), settings.batch_size)]
        rng.shuffle(batches)
        running, count = 0.0, 0
        for b in batches:
            done = progress(step, total, time.time() - started, settings.time_budget)
            if done >= 1.0:
                break
            for group in opt.param_groups:
                group["lr"] = settings.lr * lr_factor(done, settings.warmup)
            ids, mask, y, weight = _batch([examples[i] for i in b], cfg, device)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(input_ids=ids, attention_mask=mask).logits
            loss = (loss_fn(logits.float(), y) * weight[..., None]).sum() / (weight.sum() * y.shape[-1])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            running, count = running + loss.item(), count + 1
            step += 1
            if step % 25 == 0:
                log(f"epoch {epoch + 1} step {step}/{total} loss {running / count:.4f} {time.time() - started:.0f}s")
                running, count = 0.0, 0
        else:
            continue
        break
    log(f"stopped after {step} steps, {time.time() - started:.0f}s")
    model.eval()
    return model


def progress(step: int, total: int, elapsed: float, budget: float) -> float:
    """Share of training done: by steps, or by time when a budget is set and binds first (a shared CPU)."""
    done = step / max(1, total)
    return max(done, elapsed / budget) if budget else done


def lr_factor(done: float, warmup: float) -> float:
    """Linear warm-up, then linear decay to zero at the end."""
    return min(done / warmup if warmup else 1.0, (1.0 - done) / (1.0 - warmup))


@torch.no_grad()
def predict(model: torch.nn.Module, encs: list[Encoded], cfg: TaggerConfig, device: str, batch_size: int = 64):
    """Per-token probabilities for each encoded text, windowed and averaged exactly as the runtime does."""
    jobs = [(d, s, e) for d, enc in enumerate(encs) for s, e in windows(len(enc.ids), cfg.window, cfg.stride)]
    got: list[list] = [[] for _ in encs]
    for b in range(0, len(jobs), batch_size):
        chunk = jobs[b : b + batch_size]
        ids, mask = window_batch([encs[d].ids[s:e] for d, s, e in chunk], cfg)
        logits = model(input_ids=torch.from_numpy(ids).to(device), attention_mask=torch.from_numpy(mask).to(device))
        probs = torch.sigmoid(logits.logits.float()).cpu().numpy()
        for row, (d, s, e) in enumerate(chunk):
            got[d].append(((s, e), probs[row, 1 : e - s + 1]))
    n = len(cfg.labels)
    return [
        average_windows(len(enc.ids), [w for w, _ in g], [p for _, p in g], n) for enc, g in zip(encs, got, strict=True)
    ]


def save_checkpoint(model: torch.nn.Module, folder: Path, half: bool = True) -> None:
    """Weights as safetensors (fp16 by default: half the size, no measurable change after int8 export)."""
    folder.mkdir(parents=True, exist_ok=True)
    (model.half() if half else model).save_pretrained(str(folder))
    model.float()


def export_onnx(checkpoint: Path, tokenizer_json: Path, cfg: TaggerConfig, out: Path) -> dict[str, float]:
    """``out/model.onnx`` (per-channel dynamic int8), ``tokenizer.json`` and ``config.json``; returns the
    cosine similarity of int8 to fp32 logits on a probe batch."""
    out.mkdir(parents=True, exist_ok=True)
    # eager attention: quantized the same way, its graph ran 1.3x as fast as the SDPA one on this CPU
    model = AutoModelForTokenClassification.from_pretrained(
        str(checkpoint), dtype=torch.float32, attn_implementation="eager"
    ).eval()
    ids = torch.randint(1000, 20000, (2, 64))
    mask = torch.ones_like(ids)
    fp32 = quantize_tagger(model, out, ids)
    a, b = cpu_session(fp32, threads=0), cpu_session(out / "model.onnx", threads=0)
    feeds = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    la, lb = a.run(None, feeds)[0].ravel(), b.run(None, feeds)[0].ravel()
    fp32.unlink()
    shutil.copy(tokenizer_json, out / "tokenizer.json")
    (out / "config.json").write_text(json.dumps(cfg.to_dict(), indent=1) + "\n", encoding="utf-8")
    return {"cosine_int8_fp32": float(la @ lb / (np.linalg.norm(la) * np.linalg.norm(lb)))}


def quantize_tagger(model: torch.nn.Module, out: Path, probe: torch.Tensor) -> Path:
    """``model`` as ``out/model.fp32.onnx`` and, quantized per channel to int8 (dynamic), ``out/model.onnx``;
    ``probe`` is a batch of input ids to trace with. Returns the fp32 graph's path."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.config.return_dict = False
    fp32 = out / "model.fp32.onnx"
    torch.onnx.export(
        model,
        (probe, torch.ones_like(probe)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(out / "model.onnx"), per_channel=True, weight_type=QuantType.QInt8)
    return fp32
