import numpy as np
import pytest

from propscope.models.sides import SIDES, coherence_features, side_of
from propscope.taxonomy.roles import MAIN_ROLE_IDS

RUSSIA, WEST = SIDES.index("russia"), SIDES.index("west")


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("Vladimir Putin", RUSSIA),
        ("the Kremlin", RUSSIA),
        ("Россия", RUSSIA),
        ("Rússia", RUSSIA),
        ("Zelensky", WEST),
        ("NATO", WEST),
        ("the West", WEST),
        ("США", WEST),
        ("União Europeia", WEST),
    ],
)
def test_names_of_each_side_in_several_languages(name, side):
    assert side_of(name).tolist() == [1.0 if s == side else 0.0 for s in range(len(SIDES))]


@pytest.mark.parametrize("name", ["Kim Jong Un", "Greta Thunberg", "Russia-Ukraine talks", "usage", "Busan"])
def test_names_of_neither_side_or_of_both_get_none(name):
    assert side_of(name).tolist() == [0.0] * len(SIDES)


def test_coherence_features_by_hand():
    # Putin, the West and another "Putin" mention (same name: not another actor of Putin's side)
    main_p = np.array([[0.2, 0.6, 0.2], [0.1, 0.8, 0.1], [0.3, 0.5, 0.2]], np.float32)
    names = ["Putin", "the West", "putin"]
    stance = np.tile(np.array([0.5, 0.0, 0.25], np.float32), (3, 1))
    languages = np.tile(np.array([1.0, 0, 0, 0, 0], np.float32), (3, 1))
    x = coherence_features(main_p, names, stance, languages)
    logs, k = np.log(main_p + 1e-6), len(MAIN_ROLE_IDS)
    assert x[0, :k] == pytest.approx(logs[0])
    at = k + 5 + 5 * k  # logs, language columns, logs per language
    assert x[0, k + 5 : at].tolist() == pytest.approx([*logs[0], *[0.0] * (4 * k)])
    assert x[0, at : at + 2].tolist() == [1.0, 0.0]  # Putin's side
    others = x[0, at + 2 : at + 2 + 2 * (k + 1)]
    assert others.tolist() == pytest.approx([0, 0, 0, 0, *main_p[1], 1.0])  # no other Russian actor; the West
    west_others = x[1, at + 2 : at + 2 + 2 * (k + 1)]
    assert west_others.tolist() == pytest.approx([*main_p[[0, 2]].mean(axis=0), 1.0, 0, 0, 0, 0])
    n_others = 2 * (k + 1)
    assert x[0, at + 2 + n_others : at + 2 + 2 * n_others].tolist() == pytest.approx(others)  # times Russia's side
    assert x[0, at + 2 + 2 * n_others : at + 2 + 3 * n_others].tolist() == pytest.approx([0.0] * n_others)
    assert x[0, -9:].tolist() == pytest.approx([0.5, 0.0, 0.25, 0.5, 0.0, 0.25, 0, 0, 0])
    assert coherence_features(main_p[:0], [], stance[:0], languages[:0]).shape == (0, x.shape[1])


def _article_rows(language: str, actors: int) -> np.ndarray:
    """Feature rows laid out as ``roles.with_stance`` with one-column vectors: only the language is set."""
    from propscope.models.roles import LANGUAGES, STANCE_GROUPS

    x = np.zeros((actors, 1 + len(LANGUAGES) + len(STANCE_GROUPS) * 2), np.float32)
    x[:, 1 + LANGUAGES.index(language)] = 1.0
    return x


@pytest.mark.parametrize("stage", ["heads", "small", "full"])
def test_the_shipped_second_stage_reads_russia_by_how_the_article_casts_the_west(stage):
    from propscope.models.roles import load_role_heads

    heads = load_role_heads()
    assert stage in heads.coherence
    names = ["Russia", "the West", "Washington"]
    antagonist = MAIN_ROLE_IDS.index("Antagonist")
    undecided = [0.3, 0.5, 0.2]
    p = {}
    for west in ("Antagonist", "Protagonist"):
        sure = [0.05, 0.05, 0.05]
        sure[MAIN_ROLE_IDS.index(west)] = 0.9
        main_p = np.array([undecided, sure, sure], np.float32)
        p[west] = heads.cohere(main_p, names, _article_rows("en", 3), stage)[0, antagonist]
    assert p["Antagonist"] < p["Protagonist"]


def test_a_blend_without_a_second_stage_is_left_alone():
    from propscope.models.roles import load_role_heads

    heads = load_role_heads()
    main_p = np.array([[0.3, 0.5, 0.2]], np.float32)
    assert heads.cohere(main_p, ["Russia"], _article_rows("en", 1), "no-such-blend") is main_p
