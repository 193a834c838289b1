"""The techniques analyzer: contract, paragraphs, and parity of the shipped int8 models (the default tagger and
the fast one) with their golden outputs.

Regenerate the golden files after shipping a new model (and say why in the change):
    python tests/test_techniques_analyzer.py --regenerate [--fast]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from propscope import pipeline
from propscope.analyzers.techniques import (
    FAST_MODEL_DIR,
    MODEL_DIR,
    TechniquesAnalyzer,
    line_paragraphs,
    paragraphs_of,
)
from propscope.cli.main import main
from propscope.schema import Analysis, Document, TechniqueSpan

GOLDEN = {
    False: Path(__file__).parent / "golden" / "techniques.json",
    True: Path(__file__).parent / "golden" / "techniques_fast.json",
}

# Our own fixture articles (written for these tests): one loaded opinion piece, one plain report.
FIXTURES = {
    "opinion": (
        "Traitors in Brussels betray Europe again\n\n"
        "The corrupt elites in Brussels have once again shown their true face. These shameless bureaucrats "
        "will stop at nothing to destroy our way of life, and only a fool would believe their lies.\n\n"
        "Everyone knows that the sanctions were never about democracy. They were about power, pure and simple. "
        "If we do not act now, our children will freeze in the dark this winter.\n\n"
        "Either we stand with our nation or we surrender to the globalists. There is no other choice. "
        "Make our country great and free again!"
    ),
    "report": (
        "City council approves new bus routes\n\n"
        "The city council voted on Tuesday to add three bus routes in the northern districts, a spokesperson said.\n\n"
        "The routes will start operating in March. The council expects about 4,000 passengers a day, according to "
        "a transport department estimate published last week.\n\n"
        "Tickets will cost the same as on existing lines."
    ),
}


def test_line_paragraphs_skip_blank_lines_and_carriage_returns():
    text = "Title\r\n\r\nFirst para.\n  \nSecond."
    assert [text[s:e] for s, e in line_paragraphs(text)] == ["Title", "First para.", "Second."]


def test_paragraph_techniques_come_from_overlapping_spans():
    text = "One line here\nSecond line\nThird"
    spans = [TechniqueSpan("B", 2, 6, text[2:6], 0.9), TechniqueSpan("A", 10, 17, text[10:17], 0.8)]
    paras = paragraphs_of(text, spans, ["A", "B"])
    assert [p.techniques for p in paras] == [["A", "B"], ["A"], []]
    assert (paras[1].start, paras[1].end) == (14, 25)


def test_registered_in_pipeline():
    assert pipeline.REGISTRY["techniques"] == "propscope.analyzers.techniques:TechniquesAnalyzer"


@pytest.mark.parametrize("folder", [MODEL_DIR, FAST_MODEL_DIR])
def test_the_models_ship_with_their_card_and_tokenizer(folder):
    for name in ("model.onnx", "tokenizer.json", "config.json", "MODEL_CARD.md"):
        assert (folder / name).is_file(), name


def test_fast_picks_the_shallower_tagger_unless_a_folder_is_given():
    assert TechniquesAnalyzer(fast=True).tagger.folder == FAST_MODEL_DIR
    assert TechniquesAnalyzer(fast=True, model_dir=MODEL_DIR).tagger.folder == MODEL_DIR
    assert TechniquesAnalyzer(fast=True).version != TechniquesAnalyzer().version


def test_analyze_fast_techniques_records_the_fast_model(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(FIXTURES["opinion"], encoding="utf-8")
    base = ["analyze", "--no-progress", str(article), "--analyzers", "techniques", "--profile", "accurate"]
    assert main([*base, "--fast-techniques"]) == 0
    fast = json.loads(capsys.readouterr().out)
    assert main(base) == 0
    default = json.loads(capsys.readouterr().out)
    assert fast["models"]["techniques"] == TechniquesAnalyzer(fast=True).version
    assert default["models"]["techniques"] == TechniquesAnalyzer().version != fast["models"]["techniques"]
    assert fast["techniques"], "the fast tagger also flags the loaded fixture"


@pytest.fixture(scope="module", params=[False, True], ids=["default", "fast"])
def analyzer(request) -> TechniquesAnalyzer:
    return TechniquesAnalyzer(threads=1, fast=request.param)


def _golden(analyzer: TechniquesAnalyzer) -> dict:
    return json.loads(GOLDEN[analyzer.tagger.folder == FAST_MODEL_DIR].read_text(encoding="utf-8"))


def _doc(key: str) -> Document:
    return Document(id=key, text=FIXTURES[key], language="en")


def _run(analyzer: TechniquesAnalyzer, keys: list[str]) -> dict[str, dict]:
    docs = [_doc(k) for k in keys]
    results = analyzer.predict_batch(docs, [Analysis(d) for d in docs])
    return {
        d.id: {
            "techniques": [[t.technique, t.start, t.end, t.text, t.score] for t in r["techniques"]],
            "paragraphs": [[p.start, p.end, p.techniques] for p in r["paragraphs"]],
        }
        for d, r in zip(docs, results, strict=True)
    }


def test_spans_are_valid_and_match_text(analyzer):
    doc = _doc("opinion")
    result = analyzer.predict(doc, Analysis(doc))
    assert set(result) == {"techniques", "paragraphs"}
    labels = set(analyzer.tagger.config.labels)
    for t in result["techniques"]:
        assert 0 <= t.start < t.end <= len(doc.text)
        assert t.text == doc.text[t.start : t.end] == t.text.strip()
        assert t.technique in labels and 0.0 < t.score <= 1.0
    assert len(result["paragraphs"]) == 4  # title and three paragraphs


def test_loaded_text_is_flagged_and_plain_report_mostly_not(analyzer):
    got = _run(analyzer, ["opinion", "report"])
    assert got["opinion"]["techniques"], "the loaded fixture should yield spans"

    def share(key: str) -> float:
        covered = set()
        for _, s, e, _, _ in got[key]["techniques"]:
            covered.update(range(s, e))
        return len(covered) / len(FIXTURES[key])

    assert share("report") < share("opinion")
    assert share("report") <= 0.4


def test_batch_equals_one_by_one(analyzer):
    together = _run(analyzer, ["opinion", "report"])
    alone = {**_run(analyzer, ["opinion"]), **_run(analyzer, ["report"])}
    assert together == alone


def test_non_english_is_left_to_the_paragraph_analyzer(analyzer):
    ru = Document(id="ru1", text="Это текст о предателях.", language="ru")
    en = _doc("opinion")
    results = analyzer.predict_batch([ru, en], [Analysis(ru), Analysis(en)])
    assert results[0] == {}
    assert results[1]["techniques"] == analyzer.predict(en, Analysis(en))["techniques"]


def _probabilities(analyzer: TechniquesAnalyzer) -> dict[str, np.ndarray]:
    texts = list(FIXTURES.values())
    return {k: probs for k, (_, probs) in zip(FIXTURES, analyzer.tagger.probabilities(texts), strict=True)}


def _decoded(analyzer: TechniquesAnalyzer, key: str, probs: np.ndarray) -> dict[str, list]:
    text = FIXTURES[key]
    result = analyzer._result(text, analyzer.tagger.encode(text).offsets, probs)
    return {
        "techniques": [[t.technique, t.start, t.end, t.text, t.score] for t in result["techniques"]],
        "paragraphs": [[p.start, p.end, p.techniques] for p in result["paragraphs"]],
    }


def test_shipped_model_matches_golden_probabilities(analyzer):
    # Float kernels differ a little between processors; int8 products must not (see models.onnx_cpu): without
    # session.x64quantprecision, an AVX2 processor without VNNI moved these probabilities by up to 0.21.
    golden = _golden(analyzer)
    for key, probs in _probabilities(analyzer).items():
        np.testing.assert_allclose(probs, np.array(golden[key]["probabilities"]), atol=0.01, err_msg=key)


def test_golden_probabilities_decode_to_golden_spans(analyzer):
    # Decoding is exact, but a token a hair from its threshold may flip between processors (on the fixtures, one
    # at 0.4502 against 0.45 did), so spans are pinned from the recorded probabilities, not from a fresh run.
    golden = _golden(analyzer)
    for key, want in golden.items():
        got = _decoded(analyzer, key, np.array(want["probabilities"], dtype=np.float32))
        assert got == {"techniques": want["techniques"], "paragraphs": want["paragraphs"]}, key


def regenerate(fast: bool) -> None:
    analyzer = TechniquesAnalyzer(threads=1, fast=fast)
    golden = {}
    for key, probs in _probabilities(analyzer).items():
        rounded = [[round(float(p), 4) for p in row] for row in probs]
        golden[key] = {**_decoded(analyzer, key, np.array(rounded, dtype=np.float32)), "probabilities": rounded}
    GOLDEN[fast].parent.mkdir(exist_ok=True)
    GOLDEN[fast].write_text(json.dumps(golden, indent=1) + "\n", "utf-8")
    print(f"wrote {GOLDEN[fast]}")


if __name__ == "__main__" and "--regenerate" in sys.argv:
    regenerate(fast="--fast" in sys.argv)
