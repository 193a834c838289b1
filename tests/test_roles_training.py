"""The roles recipe's bookkeeping: encoder folds, blends, the second stage's inputs and the scores (no sklearn)."""

import numpy as np
import pytest

from propscope.models.roles import LANGUAGES, SMALL_ENCODER_MAIN_WEIGHT, STANCE_GROUPS
from propscope.models.sides import coherence_features
from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS
from propscope_training import roles as R


def examples() -> R.Examples:
    # two articles: an English one with Putin and NATO, a Russian one with Россия
    return R.Examples(
        doc_ids=["a", "a", "b"],
        langs=["EN", "EN", "RU"],
        names=["Putin", "NATO", "Россия"],
        contexts=["", "", ""],
        words=[[], [], []],
        main=np.array([MAIN_ROLE_IDS.index(r) for r in ("Antagonist", "Protagonist", "Innocent")]),
        fine=[["Tyrant"], ["Guardian"], ["Victim", "Scapegoat"]],
    )


def rows_for(langs: list[str]) -> np.ndarray:
    x = np.zeros((len(langs), 1 + len(LANGUAGES) + 2 * len(STANCE_GROUPS)), np.float32)
    for i, lang in enumerate(langs):
        x[i, 1 + LANGUAGES.index(lang.lower())] = 1.0
        x[i, 1 + len(LANGUAGES)] = 0.1 * (i + 1)  # the first stance column
    return x


def one_hot_rows(labels: list[str], ids: tuple[str, ...]) -> np.ndarray:
    out = np.full((len(labels), len(ids)), 0.01, np.float32)
    for i, label in enumerate(labels):
        out[i, ids.index(label)] = 0.9
    return out / out.sum(axis=1, keepdims=True)


def test_encoder_folds_are_read_back_in_row_order(tmp_path):
    main, fine = np.eye(3, dtype=np.float32), np.ones((3, 22), np.float32)
    np.savez(tmp_path / "f1.npz", test=np.array([2]), main=main[[2]], fine=fine[[2]])
    np.savez(tmp_path / "f0.npz", test=np.array([1, 0]), main=main[[1, 0]], fine=fine[[1, 0]])
    rows, m, _ = R.encoder_rows([tmp_path / "f1.npz", tmp_path / "f0.npz"])
    assert rows.tolist() == [0, 1, 2]
    assert m.tolist() == np.eye(3).tolist()


def test_each_encoder_blend_covers_its_rows_with_its_share():
    heads_main = np.full((3, 3), 1 / 3, np.float32)
    enc_main = np.array([[1.0, 0.0, 0.0]], np.float32)
    blends = R.blends((heads_main, np.full((3, 22), 1 / 22)), {"small": (np.array([1]), enc_main, np.ones((1, 22)))})
    assert sorted(blends) == ["heads", "small"]
    rows, main, _ = blends["small"]
    assert rows.tolist() == [1]
    share = SMALL_ENCODER_MAIN_WEIGHT
    assert main[0].tolist() == pytest.approx([(1 - share) / 3 + share, (1 - share) / 3, (1 - share) / 3])


def test_the_second_stage_reads_each_article_on_its_own():
    ex, x = examples(), rows_for(["EN", "EN", "RU"])
    main_p = one_hot_rows(["Antagonist", "Protagonist", "Innocent"], MAIN_ROLE_IDS)
    inputs = R.coherence_inputs(main_p, ex, x, np.arange(3))
    from propscope.models.roles import language_and_stance

    languages, stance = language_and_stance(x[:2])
    assert inputs[:2].tolist() == pytest.approx(coherence_features(main_p[:2], ["Putin", "NATO"], stance, languages))
    languages, stance = language_and_stance(x[2:])
    assert inputs[2:].tolist() == pytest.approx(coherence_features(main_p[2:], ["Россия"], stance, languages))
    # a subset of rows (an encoder's folds) keeps its own order
    sub = R.coherence_inputs(main_p[[2, 0]], ex, x, np.array([2, 0]))
    assert sub[0].tolist() == pytest.approx(inputs[2]) and sub[1].tolist() != pytest.approx(inputs[0])


def test_scores_decode_as_at_run_time():
    ex = examples()
    main_p = one_hot_rows(["Antagonist", "Protagonist", "Innocent"], MAIN_ROLE_IDS)
    fine_p = one_hot_rows(["Tyrant", "Guardian", "Victim"], FINE_ROLE_IDS)
    report = R.evaluate((np.arange(3), main_p, fine_p), ex, 0.6, "heads")
    assert report["ALL"] == {"main_accuracy": 1.0, "exact_match_ratio": pytest.approx(2 / 3), "n": 3}
    assert report["RU"]["exact_match_ratio"] == 0.0  # one of its two gold fine roles
    assert R.evaluate((np.array([0]), main_p[:1], fine_p[:1]), ex, 0.6, "small")["ALL"]["n"] == 1


def test_a_second_stage_is_kept_only_where_it_measured_better():
    before = {"main_accuracy": 0.74, "exact_match_ratio": 0.38}
    assert R.helps({"main_accuracy": 0.75, "exact_match_ratio": 0.38}, before)
    assert not R.helps({"main_accuracy": 0.75, "exact_match_ratio": 0.37}, before)
    assert not R.helps({"main_accuracy": 0.74, "exact_match_ratio": 0.40}, before)
