"""ONNX Runtime sessions on the CPU for the int8 graphs, and batching by length.

The graphs hold int8 weights (dynamic quantization, ``QInt8``). On x86 processors without VNNI, onnxruntime's
fast uint8 x int8 kernel adds pairs of products into 16 bits and saturates, so the same graph gave other scores
there than on a VNNI processor (the techniques tagger lost 1 point of SI F1 on its held-out articles).
``session.x64quantprecision`` makes onnxruntime run those products as uint8 x uint8, which does not saturate.
It is set only where the fast kernel is not known to be exact: with it a VNNI processor gives the same scores,
bit for bit, but spends 1.75 times as long in the techniques tagger. Every processor computes the same integer
products either way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

PRECISE_INT8 = "session.x64quantprecision"
# x86 instructions that add uint8 x int8 products straight into 32 bits (no 16-bit pairs to saturate)
EXACT_INT8_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})


def cpu_flags(cpuinfo: str) -> set[str]:
    """The feature flags of the first processor listed in ``/proc/cpuinfo`` text."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return set(value.split())
    return set()


@cache
def _flags_here() -> frozenset[str]:
    """This machine's processor flags; none where ``/proc/cpuinfo`` cannot be read (not Linux)."""
    try:
        return frozenset(cpu_flags(Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return frozenset()


def fast_int8_is_exact() -> bool:
    """Whether onnxruntime's default uint8 x int8 kernel is exact here: an x86 processor with VNNI or AMX.
    Where the flags cannot be read (not Linux), the precise setting is kept: slower, never wrong."""
    return bool(_flags_here() & EXACT_INT8_FLAGS)


def slow_int8(cpuinfo: str | None = None) -> bool:
    """Whether this is an x86 processor known to lack VNNI and AMX, where the int8 graphs run about twice as slow
    (``/proc/cpuinfo`` lists its x86 flags and none of ``EXACT_INT8_FLAGS``). False where that cannot be told (not
    Linux; ARM, which lists "Features" instead): only a processor known to be slow gets the fast models."""
    flags = _flags_here() if cpuinfo is None else cpu_flags(cpuinfo)
    return bool(flags) and not flags & EXACT_INT8_FLAGS


def cpu_session(model: Path, threads: int = 1) -> Any:
    """An ``onnxruntime.InferenceSession`` on ``threads`` cores (0: all), with int8 products that do not saturate."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    if not fast_int8_is_exact():
        options.add_session_config_entry(PRECISE_INT8, "1")
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def by_length(lengths: Sequence[int], size: int) -> Iterator[list[int]]:
    """Indices in batches of at most ``size``, shortest first, so that a batch pads little."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    for k in range(0, len(order), size):
        yield order[k : k + size]
