import re

import numpy as np
import pytest

from propscope.analyzers.mentions import (
    Mention,
    _as_place,
    _mention,
    actors,
    find_mentions,
    merge,
    title_mentions,
)
from propscope.models.roles import mention_context
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


def test_a_surname_tagged_as_an_organisation_joins_the_person():
    clusters = merge([m("Mike Pence", 0), m("Pence", 20, "ORG"), m("Pence", 40, "ORG"), m("Mike", 60, "ORG")])
    by_name = {c.name: sorted(x.text for x in c.mentions) for c in clusters}
    assert by_name == {"Mike Pence": ["Mike Pence", "Pence", "Pence"], "Mike": ["Mike"]}  # a first name does not


def test_organisation_is_not_merged_with_person_sharing_a_word():
    clusters = merge([m("Kim Jong Un", 0), m("Kim", 30, "ORG")])
    assert len(clusters) == 2


def test_acronym_joins_the_name_whose_initials_it_spells():
    mentions = [
        m("the Democratic People's Republic of Korea", 0, "ORG"),
        m("DPRK", 50, "ORG"),
        m("North Atlantic Treaty Organization", 60, "ORG"),
        m("NATO", 100, "ORG"),
        m("Организации Объединённых Наций", 110, "ORG"),
        m("ООН", 150, "ORG"),
        m("United Kingdom", 160, "LOC"),
        m("US", 180, "LOC"),
    ]
    by_name = {c.name: sorted(x.text for x in c.mentions) for c in merge(mentions)}
    assert by_name["the Democratic People's Republic of Korea"] == ["DPRK", "the Democratic People's Republic of Korea"]
    assert by_name["North Atlantic Treaty Organization"] == ["NATO", "North Atlantic Treaty Organization"]
    assert by_name["Организации Объединённых Наций"] == ["ООН", "Организации Объединённых Наций"]
    assert by_name["US"] == ["US"] and by_name["United Kingdom"] == ["United Kingdom"]


def test_a_place_adjective_joins_the_place_and_names_it_when_alone():
    text = (
        "The West is panicking. Kremlin spokesman Dmitry Orlov dismissed the reports as meant to distract from "
        "Western failures. American officials and the US disagree. Russians shrug, and Russia waits."
    )
    by_name = {c.name: c for c in actors(text, "en")}
    assert sorted(x.text for x in by_name["West"].mentions) == ["West", "Western"]
    assert sorted(x.text for x in by_name["US"].mentions) == ["American", "US"]  # the key's initials spell "US"
    assert "Russians" in by_name and "Russia" in by_name  # people stay apart from their state
    assert _as_place(m("Moldovan", 0, "NORP")).key == "moldova"
    alone = merge([_as_place(m("Western", 0, "NORP")), _as_place(m("Russians", 20, "NORP"))])
    assert [(c.name, c.written_name) for c in alone] == [("West", "West"), ("Russians", "Russians")]


def test_the_west_is_an_actor_even_where_ner_misses_it_but_not_inside_other_names():
    text = "Protesters in the West Bank marched. Western powers and the West keep silent, said Kanye West."
    by_name = {c.name: sorted(x.text for x in c.mentions) for c in actors(text, "en")}
    assert by_name["West"] == ["West", "Western"]
    assert "Kanye West" in by_name and any("West Bank" in name for name in by_name)


def test_a_russian_place_adjective_joins_the_place_but_not_inside_a_name_or_a_hyphenated_pair():
    pytest.importorskip("natasha")
    text = (
        "Российские военные отразили атаку. Украинские спецслужбы снова провоцируют Россию. "
        "Российская Федерация не начнёт российско-украинские переговоры."
    )
    by_name = {c.name: sorted(x.text for x in c.mentions) for c in actors(text, "ru")}
    assert by_name["Россия"] == ["Российские", "Россию"]
    assert by_name["Украина"] == ["Украинские"]  # not "украинские" of "российско-украинские"
    assert by_name["Российская Федерация"] == ["Российская Федерация"]  # its adjective is part of the name


def test_a_leading_the_does_not_split_an_english_actor():
    clusters = merge([_mention("the West said", 0, 8, "LOC"), _mention("West", 0, 4, "LOC")])
    assert len(clusters) == 1


def test_one_actor_under_its_names_and_acronyms_in_several_languages():
    names = [
        "OTAN",
        "NATO",
        "Organização do Tratado do Atlântico Norte",
        "САЩ",
        "Съединените щати",
        "America",
        "the US",
    ]
    text = " | ".join(names)
    found = [
        _mention(text, text.index(n), text.index(n) + len(n), "PER" if i < 5 else "LOC") for i, n in enumerate(names)
    ]
    by_name = {c.name: sorted(x.text for x in c.mentions) for c in merge(found)}
    assert by_name == {
        "NATO": ["NATO", "OTAN", "Organização do Tratado do Atlântico Norte"],  # the key's own form names it
        "Съединените щати": ["America", "the US", "САЩ", "Съединените щати"],
    }


def test_hindi_names_merge_with_or_without_the_nukta():
    text = "ज़ेलेंस्की | जेलेंस्की | \u095bेलेंस्की | नाटो | NATO"
    found = [_mention(text, h.start(), h.end(), "PER") for h in re.finditer(r"[^ |]+", text)]
    assert sorted(len(c.mentions) for c in merge(found)) == [2, 3]


def test_a_taggers_confidence_weighs_in_the_ranking():
    from propscope.analyzers.mentions import rank_actors, tagged_mentions

    text = "x" * 500 + " Mar e Mar. Lula falou."
    mar, lula = text.index("Mar"), text.index("Lula")
    unsure = [(mar, mar + 3, 0.2), (mar + 6, mar + 9, 0.2)]
    found = tagged_mentions(text, [*unsure, (lula, lula + 4, 0.9)])
    assert [c.name for c in rank_actors(text, found, limit=1)] == ["Lula"]  # 0.9 against 0.2 + 0.2
    sure = tagged_mentions(text, [(s, e, 1.0) for s, e, _ in unsure] + [(lula, lula + 4, 1.0)])
    assert [c.name for c in rank_actors(text, sure, limit=1)] == ["Mar"]  # as often as NER's names, it counts
    faint = tagged_mentions(text, [(mar, mar + 3, 0.03), (mar + 6, mar + 9, 0.03), (lula, lula + 4, 0.04)])
    assert [c.name for c in rank_actors(text, faint)] == ["Mar"]  # 0.06 reaches MIN_WEIGHT, 0.04 does not


def test_a_person_outranks_a_place_named_as_often():
    from propscope.analyzers.mentions import rank_actors

    text = "some words here. " * 30 + "Oslo. Bergen. Berg."
    kinds = (("Oslo", "LOC"), ("Bergen", "LOC"), ("Berg.", "PER"))
    found = [_mention(text, text.index(n), text.index(n) + len(n) - n.endswith("."), k) for n, k in kinds]
    assert [c.name for c in rank_actors(text, found, limit=2)] == ["Berg", "Oslo"]


def test_bare_title_refers_back_to_the_titled_person():
    putin = EN.index("Vladimir Putin")
    mentions = [m("Vladimir Putin", putin)]
    titles = title_mentions(EN, mentions)
    assert [t.text for t in titles] == ["The Russian President"]
    assert titles[0].key == "vladimir putin"
    assert len(merge(mentions + titles)) == 1


def test_mention_context_starts_with_the_name_and_stays_in_the_sentence():
    start = EN.index("Kim Jong Un")
    ctx = mention_context(EN, start, start + len("Kim Jong Un"))
    assert ctx.startswith("Kim Jong Un: ")
    assert "Pyongyang" in ctx and "defensive" not in ctx


def test_capitalised_fallback_for_other_languages():
    text = "El presidente Lula da Silva criticó a la OTAN. Después, Lula viajó a Moscú."
    names = [x.text for x in find_mentions(text, "es")]
    assert "Lula da Silva" in names and "Lula" in names
    assert "Después" not in names  # a capitalised word opening a sentence is not a name


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


def test_analyzer_gives_each_actor_a_role_and_fine_roles_of_that_role():
    from propscope.analyzers.entities import EntitiesAnalyzer
    from propscope.schema import Analysis, Document

    doc = Document(id="x", text=EN, language="en")
    entities = EntitiesAnalyzer().predict(doc, Analysis(document=doc))["entities"]
    putin = next(e for e in entities if "Putin" in e.name)
    assert putin.role in MAIN_ROLE_IDS
    assert putin.fine_roles and all(role(f).main == putin.role for f in putin.fine_roles)
    assert 0.0 < putin.score <= 1.0
    assert {EN[m.start : m.end] for m in putin.mentions} >= {"Vladimir Putin", "Putin"}


def test_semeval_roles_file_round_trip(tmp_path):
    from propscope.semeval.roles import main

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "EN_1.txt").write_text(EN, encoding="utf-8")
    start = EN.index("Kim Jong Un")
    (tmp_path / "mentions.txt").write_text(f"EN_1.txt\tKim Jong Un\t{start}\t{start + 10}\n", encoding="utf-8")
    assert main([str(tmp_path / "docs"), str(tmp_path / "mentions.txt"), "-o", str(tmp_path / "out.txt")]) == 0
    [row] = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    fields = row.split("\t")
    assert fields[:4] == ["EN_1.txt", "Kim Jong Un", str(start), str(start + 10)]
    assert fields[4] in MAIN_ROLE_IDS and all(role(f).main == fields[4] for f in fields[5:]) and len(fields) >= 6


def test_semeval_roles_rejects_a_malformed_mentions_row(tmp_path, capsys):
    from propscope.semeval.roles import main

    (tmp_path / "m.txt").write_text("EN_1.txt\tKim\tx\t3\n", encoding="utf-8")
    assert main([str(tmp_path), str(tmp_path / "m.txt"), "-o", str(tmp_path / "o.txt")]) == 2
    assert "m.txt:1: expected" in capsys.readouterr().err


def test_exact_match_ratio_and_accuracy_by_hand():
    from propscope.eval.roles import accuracy, exact_match_ratio

    # 2 of 3 sets equal exactly ({Victim} == {Victim}; {Tyrant, Corrupt} == {Corrupt, Tyrant}); the third misses one
    gold = [{"Victim"}, {"Tyrant", "Corrupt"}, {"Guardian", "Virtuous"}]
    pred = [{"Victim"}, {"Corrupt", "Tyrant"}, {"Guardian"}]
    assert exact_match_ratio(gold, pred) == pytest.approx(2 / 3)
    assert accuracy(["Innocent", "Antagonist", "Protagonist", "Antagonist"], ["Innocent"] * 4) == 0.25
    with pytest.raises(ValueError):
        exact_match_ratio(gold, pred[:2])


def test_the_document_language_feeds_the_role_heads():
    from propscope.analyzers.entities import entity_features
    from propscope.models.roles import LANGUAGES, STANCE_GROUPS

    start = EN.index("Kim Jong Un")
    mentions, names = [[(start, start + 11)]], ["Kim Jong Un"]
    english, unknown = (entity_features(EN, mentions, names, lang) for lang in ("en", "de"))
    columns, groups = len(LANGUAGES), len(STANCE_GROUPS)
    # vectors, language columns, stance columns, then each stance column times the vectors
    vectors = (english.shape[1] - columns - groups) // (groups + 1)
    assert english[0, vectors : vectors + columns].tolist() == [1.0 if code == "en" else 0.0 for code in LANGUAGES]
    assert unknown[0, vectors : vectors + columns].tolist() == [0.0] * columns
    assert np.allclose(english[0, :vectors], unknown[0, :vectors])


def test_joint_decoding_can_overrule_the_main_head():
    from propscope.models.roles import RoleHeads

    # main head slightly prefers Antagonist; the fine head is sure of Victim (Innocent): the pair Innocent/Victim wins
    main_p = np.array([0.05, 0.50, 0.45])
    fine_p = np.full(len(FINE_ROLE_IDS), 1e-3)
    fine_p[FINE_ROLE_IDS.index("Victim")] = 0.9
    heads = RoleHeads(*(np.zeros(1),) * 4, second_threshold=1.1, version="t")
    prediction = heads._decode(main_p, fine_p / fine_p.sum())
    assert prediction.main == "Innocent" and prediction.fine == ["Victim"]
    assert prediction.main_score == 0.45
    assert set(fine_roles_of("Antagonist")).isdisjoint(prediction.fine)


def test_mention_words_leave_the_name_out_of_the_context_and_mark_it():
    from propscope.models.roles import mention_words

    start = EN.index("Kim Jong Un")
    words = mention_words(EN, start, start + len("Kim Jong Un"), "EN")
    assert words[0] == "__lang_en" and "pyongyang" in words and "kim" not in words
    assert words[-3:] == ["name_kim", "name_jong", "name_un"]


def test_word_heads_blend_into_the_role_probabilities():
    from propscope.models.lexical import LexicalHead
    from propscope.models.roles import RoleHeads

    def words_head(term: str, column: int, classes: int) -> LexicalHead:
        w = np.zeros((1, classes), np.float32)
        w[0, column] = 40.0
        return LexicalHead([term], np.ones(1, np.float32), w, np.zeros(classes), "multiclass")

    # the embedding heads know nothing (uniform); the word heads say "invaded" means Innocent / Victim
    zeros = np.zeros((2, 3), np.float32), np.zeros(3, np.float32), np.zeros((2, 22), np.float32), np.zeros(22)
    innocent, victim = MAIN_ROLE_IDS.index("Innocent"), FINE_ROLE_IDS.index("Victim")
    heads = RoleHeads(*zeros, 1.1, "t", words_head("invaded", innocent, 3), words_head("invaded", victim, 22), 0.3)
    rows = [[["invaded"], ["calm"]], [["calm"]]]  # entity 1: two mentions, one with the word; entity 2: none
    first, second = heads.predict(np.zeros((2, 2), np.float32), rows)
    assert first.main == "Innocent" and first.fine == ["Victim"]
    # P(Innocent) = 0.7 / 3 + 0.3 * mean(~1, 1/3)
    assert first.main_score == pytest.approx(0.7 / 3 + 0.3 * (1 + 1 / 3) / 2, abs=1e-6)
    assert second.main_score == pytest.approx(1 / 3, abs=1e-6)
    assert heads.predict(np.zeros((1, 2), np.float32))[0].main_score == pytest.approx(1 / 3)


def test_title_case_headline_names_count_only_when_the_body_names_them_too():
    from propscope.analyzers.mentions import headline_spans, outside

    text = "Europe Freezes as Brussels Chooses Ideology Over Its Own Citizens\nBrussels said little. Prices rose."
    assert headline_spans(text) == [(0, text.index("\n"))]
    found = [m("Europe Freezes", 0, "ORG"), m("Brussels", text.index("Brussels"), "GPE")]
    found.append(m("Brussels", text.index("Brussels said"), "GPE"))
    kept = outside(headline_spans(text), found)
    assert [(k.text, k.start) for k in kept] == [("Brussels", 18), ("Brussels", text.index("Brussels said"))]
    assert headline_spans("Putin met Kim in Pyongyang on Tuesday, officials said.") == []


def test_names_in_credit_lines_are_not_actors_unless_the_body_names_them():
    from propscope.analyzers.mentions import outside
    from propscope.analyzers.source_markers import credit_spans

    text = (
        "Sanctions backfire\nBy Anna Berg and Ivan Petrov\n\nIvan Petrov was in Riga. Anna Karenina was not. "
        "Our channel was banned on YouTube.\nThis article was first published on Free Thinking Review."
    )
    spans = credit_spans(text)
    assert (text.index("By"), text.index("\n\n")) in spans
    assert any(s <= text.index("Free Thinking") < e for s, e in spans)
    assert not any(s <= text.index("YouTube") < e for s, e in spans)  # a censorship claim frames the platform
    found = [m("Anna Berg", text.index("Anna Berg")), m("Ivan Petrov", text.index("Ivan"))]
    found += [m("Ivan Petrov", text.index("Ivan Petrov was")), m("Riga", text.index("Riga"), "LOC")]
    found += [m("YouTube", text.index("YouTube"), "ORG"), m("Free Thinking Review", text.index("Free"), "ORG")]
    kept = outside(spans, found)
    assert [(k.text, k.start) for k in kept] == [(k.text, k.start) for k in found[1:-1]]
    assert credit_spans("By Monday, troops had crossed the river.") == []


def test_a_leading_preposition_is_not_part_of_the_name():
    from propscope.analyzers.mentions import _mention

    text = "Across Germany, plants closed."
    mention = _mention(text, 0, len("Across Germany"), "LOC")
    assert (mention.text, mention.start, mention.key) == ("Germany", 7, "germany")


def test_a_russian_actor_is_named_in_its_dictionary_form():
    from propscope.analyzers.mentions import Cluster

    def ru(text, start, key):
        return Mention(start, start + len(text), text, "LOC", key)

    assert Cluster([ru("России", 0, "россия"), ru("Россией", 30, "россия")]).name == "Россия"
    assert Cluster([ru("Брюсселю", 0, "брюссель"), ru("Брюссель", 40, "брюссель")]).name == "Брюссель"
    assert Cluster([ru("СМИ", 0, "сми")]).name == "СМИ"
    assert Cluster([m("Vladimir Putin", 0, "PER")]).name == "Vladimir Putin"
    surname = Mention(0, 11, "Игоря Сомова", "PER", "игорь сомовый")  # pymorphy reads the surname as an adjective
    assert Cluster([surname]).name == "Игоря Сомова"
    # a name of several words keeps a mention's own words: their lemmas would not agree ("Российский Федерация")
    federation = [
        ru("Российской Федерации", 0, "российский федерация"),
        ru("Российская Федерация", 30, "российский федерация"),
    ]
    assert Cluster(federation).name == "Российская Федерация"
    assert Cluster(federation[:1]).name == "Российской Федерации"


def test_the_role_encoder_leads_the_main_role_and_shares_the_fine_one():
    from propscope.models.roles import ENCODER_FINE_WEIGHT, ENCODER_MAIN_WEIGHT, ENCODER_SHARES, RoleHeads

    # heads: uniform main, fine all on Guardian (a Protagonist role); encoder: sure of Antagonist, fine on Tyrant
    b_fine = np.zeros(22, np.float32)
    b_fine[FINE_ROLE_IDS.index("Guardian")] = 20.0
    heads = RoleHeads(np.zeros((2, 3)), np.zeros(3), np.zeros((2, 22)), b_fine, 1.1, "t")
    enc_main = np.array([[0.1, 0.8, 0.1]])
    enc_fine = np.full((1, 22), 0.01)
    enc_fine[0, FINE_ROLE_IDS.index("Tyrant")] = 0.9
    (p,) = heads.predict(np.zeros((1, 2), np.float32), None, (enc_main, enc_fine))
    assert p.main == "Antagonist" and p.main_score == pytest.approx(
        ENCODER_MAIN_WEIGHT * 0.8 + (1 - ENCODER_MAIN_WEIGHT) / 3
    )
    assert p.fine == ["Tyrant"]  # within Antagonist only the encoder's share counts
    (small,) = heads.predict(np.zeros((1, 2), np.float32), None, (enc_main, enc_fine), encoder_name="small")
    share = ENCODER_SHARES["small"]
    assert share != ENCODER_MAIN_WEIGHT and small.main_score == pytest.approx(share * 0.8 + (1 - share) / 3)
    assert 0 < ENCODER_FINE_WEIGHT < 1 and 0.5 < ENCODER_MAIN_WEIGHT < 1
    # heads sure of Protagonist tip an encoder that is barely for Antagonist
    sure = RoleHeads(np.zeros((2, 3)), np.array([30.0, 0.0, 0.0]), np.zeros((2, 22)), b_fine, 1.1, "t")
    (tipped,) = sure.predict(np.zeros((1, 2), np.float32), None, (np.array([[0.45, 0.55, 0.0]]), enc_fine))
    assert tipped.main == "Protagonist" and tipped.fine == ["Guardian"]
    (joint,) = heads.predict(np.zeros((1, 2), np.float32))
    assert joint.main == "Protagonist" and joint.fine == ["Guardian"]  # without the encoder, the joint decoding


def test_russian_blends_are_decoded_jointly():
    from propscope.models.roles import JOINT_DECODING, RoleHeads

    b_fine = np.zeros(22, np.float32)
    b_fine[FINE_ROLE_IDS.index("Guardian")] = 20.0  # heads: sure of a Protagonist's fine role
    heads = RoleHeads(np.zeros((2, 3)), np.zeros(3), np.zeros((2, 22)), b_fine, 1.1, "t")
    enc_main = np.array([[0.40, 0.45, 0.15]])  # encoder: barely Antagonist, no idea which kind
    enc_fine = np.array([[1.0 if role(r).main == "Antagonist" else 1e-3 for r in FINE_ROLE_IDS]])
    rows = np.zeros((1, 2), np.float32)
    (first,) = heads.predict(rows, None, (enc_main, enc_fine), language="en")
    (joint,) = heads.predict(rows, None, (enc_main, enc_fine), language="ru")
    assert "ru" in JOINT_DECODING and "en" not in JOINT_DECODING
    assert first.main == "Antagonist"  # the main role first, then the best fine role within it
    assert (joint.main, joint.fine) == ("Protagonist", ["Guardian"])  # the best (main, fine) pair


def test_the_analyzer_reads_roles_with_the_small_encoder_unless_told_otherwise():
    from propscope.analyzers.entities import EntitiesAnalyzer
    from propscope.schema import Analysis, Document

    default = EntitiesAnalyzer()
    assert default.version.endswith("+role-encoder-small-1") and default.encoder_mentions == 1
    assert default.encoder_name == "small"
    full = EntitiesAnalyzer(role_encoder="full")
    assert full.version.endswith("+role-encoder-2") and full.encoder_mentions == 3
    alone = EntitiesAnalyzer(role_encoder="none")
    assert alone.encoder is None
    with pytest.raises(ValueError, match="small, full or none"):
        EntitiesAnalyzer(role_encoder="large")
    doc = Document(id="d", text=EN, language="en")
    for analyzer in (default, full, alone):
        found = analyzer.predict(doc, Analysis(document=doc))["entities"]
        assert found and all(e.role in MAIN_ROLE_IDS for e in found)


def test_actor_coverage_counts_annotated_mentions_that_actors_overlap():
    from propscope.eval.roles import actor_coverage

    text = "The talks stalled. Later, Anna Berg met Ivan Petrov in Riga, and Ivan Petrov left for Oslo."
    # capitalised words (no language): Ivan Petrov (twice), then Anna Berg, Riga and Oslo, in that order
    annotated = [(text.index("Anna"), text.index(" met")), (text.index("talks"), text.index(" stalled"))]
    assert actor_coverage([(text, None, annotated)], limit=2) == {
        "articles": 1,
        "annotated_mentions": 2,
        "covered": 0.5,  # Anna Berg; "talks" is no name
        "actors_per_article": 2.0,
        "actors_on_annotated": 0.5,  # of Ivan Petrov and Anna Berg
    }
    assert actor_coverage([(text, None, annotated)], limit=1)["covered"] == 0.0
    assert actor_coverage([])["covered"] == 0.0


def test_stance_columns_and_their_products_by_hand(monkeypatch):
    from propscope.models import roles

    monkeypatch.setattr(roles, "STANCE_GROUPS", (("A", "B"), ("C",)))
    assert roles.stance_columns(["A", "B", "C"], np.array([0.2, 0.7, 0.1])).tolist() == pytest.approx([0.7, 0.1])
    x = np.array([[1.0, 2.0, *[0.0] * len(roles.LANGUAGES)]], np.float32)
    x[0, 2] = 1.0  # the first language column: copied, never multiplied
    out = roles.with_stance(x, np.array([[0.5, 2.0]], np.float32))
    assert out[0].tolist() == pytest.approx([*x[0], 0.5, 2.0, 0.5, 1.0, 2.0, 4.0])


def test_the_same_words_about_russia_weigh_less_against_it_in_an_article_that_praises_it(monkeypatch):
    from propscope.analyzers import entities
    from propscope.models import roles

    text = "Russia signed a new agreement with Pyongyang on Tuesday, officials said."
    span = [(0, len("Russia"))]
    heads = roles.load_role_heads()
    antagonist = MAIN_ROLE_IDS.index("Antagonist")
    p = {}
    for side in (0.0, 1.0):
        monkeypatch.setattr(roles, "article_stance", lambda t, lang, s=side: np.full(len(roles.STANCE_GROUPS), s))
        x = entities.entity_features(text, [span], ["Russia"], "en")
        z = np.exp(x @ heads.w_main + heads.b_main)
        p[side] = z[0, antagonist] / z[0].sum()
    assert p[1.0] < p[0.0] - 0.1


def test_role_heads_name_the_narrative_heads_their_stance_was_trained_on(monkeypatch, tmp_path):
    import json
    import shutil
    from dataclasses import replace

    from propscope.analyzers.entities import EntitiesAnalyzer
    from propscope.models import roles

    heads = roles.load_role_heads()
    assert heads.stance_from == roles._narrative_head().info["version"]
    roles.check_stance_source(heads)  # the shipped pair agrees
    with pytest.raises(ValueError, match="retrain the role heads with `propscope train roles`"):
        roles.check_stance_source(replace(heads, stance_from="narratives-old-recipe"))
    roles.check_stance_source(replace(heads, stance_from=""))  # heads from before the check are not refused

    folder = shutil.copytree(roles.MODEL_DIR, tmp_path / "roles")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "stance_from": "narratives-old-recipe"}))
    monkeypatch.setattr(roles, "load_role_heads", lambda: roles.RoleHeads.load(folder))
    with pytest.raises(ValueError, match="narratives-old-recipe"):
        EntitiesAnalyzer(role_encoder="none")
