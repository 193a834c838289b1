"""Entity-role heads: linear layers over sentence, document and name embeddings, numpy only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS, role

MODEL_DIR = Path(__file__).parent / "roles"


def unit_index(units: list[tuple[int, int]], start: int) -> int:
    """The unit (sentence) holding offset ``start``, else the nearest one before it."""
    best = 0
    for i, (s, e) in enumerate(units):
        if s <= start < e:
            return i
        if s <= start:
            best = i
    return best


def mention_features(unit_vectors: np.ndarray, doc_vector: np.ndarray, name_vector: np.ndarray) -> np.ndarray:
    """[the mention's sentence; the document's mean; the name]: the layout the heads are trained on."""
    return np.concatenate([unit_vectors, doc_vector, name_vector]).astype(np.float32)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class RolePrediction:
    main: str
    main_score: float
    fine: list[str]


@dataclass
class RoleHeads:
    w_main: np.ndarray  # (dim, 3)
    b_main: np.ndarray
    w_fine: np.ndarray  # (dim, 22)
    b_fine: np.ndarray
    second_threshold: float  # a second fine role is kept when its share of the main role's mass is above this
    version: str

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> RoleHeads:
        arrays = np.load(folder / "heads.npz")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if tuple(config["main_roles"]) != MAIN_ROLE_IDS or tuple(config["fine_roles"]) != FINE_ROLE_IDS:
            raise ValueError(f"{folder}: role labels do not match the taxonomy")
        return cls(
            arrays["w_main"],
            arrays["b_main"],
            arrays["w_fine"],
            arrays["b_fine"],
            float(config["second_threshold"]),
            config["version"],
        )

    def predict(self, features: np.ndarray) -> list[RolePrediction]:
        """One prediction per row; rows of one entity should be averaged by the caller first."""
        main_p = _softmax(features @ self.w_main + self.b_main)
        fine_p = _softmax(features @ self.w_fine + self.b_fine)
        return [self._decode(m, f) for m, f in zip(main_p, fine_p, strict=True)]

    def _decode(self, main_p: np.ndarray, fine_p: np.ndarray) -> RolePrediction:
        main = MAIN_ROLE_IDS[int(main_p.argmax())]
        allowed = [i for i, r in enumerate(FINE_ROLE_IDS) if role(r).main == main]
        scores = fine_p[allowed] / fine_p[allowed].sum()
        order = np.argsort(-scores)
        fine = [FINE_ROLE_IDS[allowed[order[0]]]]
        if len(order) > 1 and scores[order[1]] >= self.second_threshold:
            fine.append(FINE_ROLE_IDS[allowed[order[1]]])
        return RolePrediction(main, float(main_p.max()), fine)


@lru_cache(maxsize=1)
def load_role_heads() -> RoleHeads:
    return RoleHeads.load()
