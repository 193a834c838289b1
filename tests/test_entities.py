import pytest

from propscope.analyzers.mentions import Mention, actors, find_mentions, merge, title_mentions
from propscope.models.roles import unit_index
from propscope.taxonomy.roles import FINE_ROLE_IDS, MAIN_ROLE_IDS, fine_roles_of, role

EN = (
    "Russian President Vladimir Putin met Kim Jong Un in Pyongyang. "
    "Putin praised the talks, while Western officials warned about the deal. "
    "The Russian President later said the partnership was strictly defensive."
)


def m(text, start, kind="PER"):
    return Mention(start, start + len(text), text, kind, text.lower())


def test_taxonomy_has_three_main_and_22_fine_roles():
    assert MAIN_ROLE_IDS == ("Protagonist", "Antagonist", "Innocent")
    assert len(FINE_ROLE_IDS) == len(set(FINE_ROLE_IDS)) == 22
    assert sum(len(fine_roles_of(r)) for r in MAIN_ROLE_IDS) == 22
    assert role("Foreign Adversary").main == "Antagonist"
    with pytest.raises(KeyError, match="unknown role 'Hero'"):
        role("Hero")


def test_surname_merges_into_full_name_but_not_other_people():
    clusters = merge([m("Vladimir Putin", 0), m("Putin", 40), m("Kim Jong Un", 20), m("Vladimir Zelensky", 60)])
    by_name = {c.name: sorted(x.text for x in c.mentions) for c in clusters}
    assert by_name["Vladimir Putin"] == ["Putin", "Vladimir Putin"]
    assert by_name["Kim Jong Un"] == ["Kim Jong Un"]
    assert by_name["Vladimir Zelensky"] == ["Vladimir Zelensky"]


def test_organisation_is_not_merged_with_person_sharing_a_word():
    clusters = merge([m("Kim Jong Un", 0), m("Kim", 30, "ORG")])
    assert len(clusters) == 2


def test_bare_title_refers_back_to_the_titled_person():
    putin = EN.index("Vladimir Putin")
    mentions = [m("Vladimir Putin", putin)]
    titles = title_mentions(EN, mentions)
    assert [t.text for t in titles] == ["The Russian President"]
    assert titles[0].key == "vladimir putin"
    assert len(merge(mentions + titles)) == 1


def test_unit_index_finds_the_sentence_holding_a_mention():
    units = [(0, 10), (11, 30), (31, 50)]
    assert unit_index(units, 12) == 1
    assert unit_index(units, 31) == 2
    assert unit_index(units, 10) == 0  # in the gap after a sentence: the one before it
    assert unit_index(units, 99) == 2


def test_capitalised_fallback_for_other_languages():
    text = "O presidente Lula da Silva criticou a NATO. Depois, Lula viajou para Moscovo."
    names = [x.text for x in find_mentions(text, "pt")]
    assert "Lula da Silva" in names and "Lula" in names
    assert "Depois" not in names  # a capitalised word opening a sentence is not a name


def test_russian_mentions_merge_inflected_forms():
    pytest.importorskip("natasha")
    text = "Президент России Владимир Путин встретился с Ким Чен Ыном. Путина поддержали в Пхеньяне."
    clusters = actors(text, "ru")
    putin = next(c for c in clusters if c.name == "Владимир Путин")
    assert sorted(text[x.start : x.end] for x in putin.mentions) == ["Владимир Путин", "Путина"]


def test_english_actors_from_spacy():
    clusters = actors(EN, "en")
    putin = next(c for c in clusters if "Putin" in c.name)
    texts = [EN[x.start : x.end] for x in putin.mentions]
    assert "Putin" in texts and "Vladimir Putin" in texts and "The Russian President" in texts
