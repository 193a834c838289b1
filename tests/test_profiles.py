"""``--profile``: which models analyze and serve run, by the processor unless told."""

from __future__ import annotations

import argparse

import pytest

from propscope.cli.analyze import add_model_switches, model_choice, profile_notice, switch_options
from propscope.models import onnx_cpu


@pytest.fixture(params=[True, False], ids=["vnni", "no-vnni"])
def vnni(request, monkeypatch) -> bool:
    monkeypatch.setattr(onnx_cpu, "slow_int8", lambda: not request.param)
    return request.param


def parse(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--reliability")
    add_model_switches(p)
    return p.parse_args(argv)


def test_auto_is_accurate_only_where_the_processor_has_vnni(vnni):
    expected = ("small", False) if vnni else ("none", True)
    assert model_choice("auto", None, None) == expected
    args = parse()
    assert args.profile == "auto" and model_choice(args.profile, args.role_encoder, args.fast_techniques) == expected


def test_named_profiles_ignore_the_processor(vnni):
    assert model_choice("accurate", None, None) == ("small", False)
    assert model_choice("fast", None, None) == ("none", True)


def test_switches_win_over_the_profile(vnni):
    assert model_choice("fast", "full", None) == ("full", True)
    assert model_choice("accurate", "none", True) == ("none", True)
    assert switch_options(parse("--profile", "fast", "--role-encoder")) == {
        "entities": {"role_encoder": "full"},
        "techniques": {"fast": True},
    }
    assert switch_options(parse("--profile", "accurate", "--reliability", "r.csv")) == {
        "source": {"reliability_path": "r.csv"}
    }


def test_a_notice_says_when_auto_picked_the_fast_models(vnni, capsys):
    profile_notice(parse())
    profile_notice(parse("--profile", "fast"))
    err = capsys.readouterr().err
    if vnni:
        assert err == ""
    else:  # once, for auto only
        assert err.count("\n") == 1 and "no VNNI" in err and "--profile accurate" in err
