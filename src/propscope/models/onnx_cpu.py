"""ONNX Runtime sessions on the CPU for the int8 graphs, and batching by length.

The graphs hold int8 weights (dynamic quantization, ``QInt8``). On x86 processors without VNNI, onnxruntime's
fast uint8 x int8 kernel adds pairs of products into 16 bits and saturates, so the same graph gave other scores
there than on a VNNI processor (the techniques tagger lost 1 point of SI F1 on its held-out articles).
``session.x64quantprecision`` makes onnxruntime run those products as uint8 x uint8, which does not saturate,
only on such processors: every processor then computes the same integer products.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PRECISE_INT8 = "session.x64quantprecision"


def cpu_session(model: Path, threads: int = 1) -> Any:
    """An ``onnxruntime.InferenceSession`` on ``threads`` cores (0: all), with int8 products that do not saturate."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry(PRECISE_INT8, "1")
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def by_length(lengths: Sequence[int], size: int) -> Iterator[list[int]]:
    """Indices in batches of at most ``size``, shortest first, so that a batch pads little."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    for k in range(0, len(order), size):
        yield order[k : k + size]
