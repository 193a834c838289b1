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


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_every_analyzer_runs_under_each_profile(profile, tmp_path, capsys):
    """The whole pipeline on an English and a Russian article: no analyzer fails, whichever models run."""
    import json

    from propscope.cli.main import main

    (tmp_path / "en.txt").write_text(
        "The West is panicking. Western capitals offer only sanctions, said Kremlin spokesman Dmitry Orlov.\n\n"
        "Trade between Russia and the DPRK grew by 40 percent, according to the trade commission.",
        encoding="utf-8",
    )
    (tmp_path / "ru.txt").write_text(
        "Западные СМИ снова пугают Европу. Российские военные, по словам Марии Захаровой, ни на кого не нападают.",
        encoding="utf-8",
    )
    code = main(["analyze", str(tmp_path), "--profile", profile, "--no-progress", "--format", "jsonl"])
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and len(results) == 2
    for result in results:
        assert result["errors"] == [] and result["entities"], result["document"]["id"]
    fast = profile == "fast"
    assert all(("role-encoder" in r["models"]["entities"]) is not fast for r in results)
