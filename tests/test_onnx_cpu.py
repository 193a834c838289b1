"""Sessions for the int8 graphs give exact integer products on every x86 processor, and batching by length."""

from __future__ import annotations

import numpy as np
import pytest

from propscope.models import onnx_cpu
from propscope.models.onnx_cpu import PRECISE_INT8, by_length, cpu_session


def _matmul_integer_graph(path, weights: np.ndarray) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    k, n = weights.shape
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "w"], ["y"])],
        "matmul_integer",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, k])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, n])],
        [numpy_helper.from_array(weights, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


def test_int8_products_do_not_saturate(tmp_path):
    # uint8 x int8 pairs summed in 16 bits: 2 x 255 x 127 = 64,770 saturates at 32,767 on AVX2 without VNNI
    weights = np.full((64, 16), 127, dtype=np.int8)
    weights[::2, 1::2] = -128
    _matmul_integer_graph(tmp_path / "m.onnx", weights)
    a = np.full((4, 64), 255, dtype=np.uint8)
    a[1, ::3] = 3
    got = cpu_session(tmp_path / "m.onnx").run(None, {"a": a})[0]
    np.testing.assert_array_equal(got, a.astype(np.int32) @ weights.astype(np.int32))


@pytest.mark.parametrize("exact", [False, True])
def test_the_session_asks_for_precise_int8_only_where_the_fast_kernel_saturates(tmp_path, monkeypatch, exact):
    monkeypatch.setattr(onnx_cpu, "fast_int8_is_exact", lambda: exact)
    _matmul_integer_graph(tmp_path / "m.onnx", np.ones((2, 2), dtype=np.int8))
    options = cpu_session(tmp_path / "m.onnx", threads=2).get_session_options()
    assert options.intra_op_num_threads == 2
    if exact:
        with pytest.raises(RuntimeError):
            options.get_session_config_entry(PRECISE_INT8)
    else:
        assert options.get_session_config_entry(PRECISE_INT8) == "1"


CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
flags\t\t: fpu sse2 avx2 avx512f avx512bw{extra}
bugs\t\t: sysret_ss_attrs

processor\t: 1
flags\t\t: fpu sse2 avx2 avx512f avx512bw{extra}
"""


def test_only_x86_processors_known_to_lack_vnni_are_slow():
    assert onnx_cpu.slow_int8(CPUINFO.format(extra=""))
    assert not onnx_cpu.slow_int8(CPUINFO.format(extra=" avx512_vnni avx512_bf16"))
    assert not onnx_cpu.slow_int8("Features\t: fp asimd asimddp\n")  # ARM: not known to be slow
    assert not onnx_cpu.slow_int8("")


def test_cpu_flags_are_read_from_the_first_processor():
    zen3 = onnx_cpu.cpu_flags(CPUINFO.format(extra=""))
    zen4 = onnx_cpu.cpu_flags(CPUINFO.format(extra=" avx512_vnni avx512_bf16"))
    assert "avx2" in zen3 and not zen3 & onnx_cpu.EXACT_INT8_FLAGS
    assert zen4 & onnx_cpu.EXACT_INT8_FLAGS == {"avx512_vnni"}
    assert onnx_cpu.cpu_flags("Features\t: fp asimd\n") == set()  # ARM lists "Features": the setting is kept


def test_batches_by_length_cover_every_index_once_shortest_first():
    lengths = [5, 1, 9, 1, 3]
    batches = list(by_length(lengths, 2))
    assert batches == [[1, 3], [4, 0], [2]]
    assert list(by_length([], 4)) == []
