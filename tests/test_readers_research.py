"""Research corpus readers on tiny self-written fixtures laid out like the real corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.readers.research import (
    line_paragraphs,
    read_ptc,
    read_semeval2023,
    read_semeval2025,
    read_unlp2025,
)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


PTC_TEXT = "Big headline here\n\nThe traitors lied again.\nThey always lie.\n"


@pytest.fixture
def ptc_root(tmp_path: Path) -> Path:
    write(tmp_path / "ptc/train-articles/article42.txt", PTC_TEXT)
    write(tmp_path / "ptc/train-articles/article43.txt", "No spans here\n")
    labels = "42\tName_Calling,Labeling\t23\t31\n42\tRepetition\t56\t60\n42\tLoaded_Language\t500\t510\n"
    write(tmp_path / "ptc/train-task-flc-tc.labels", labels)
    return tmp_path


def test_ptc_spans_and_ids(ptc_root: Path) -> None:
    docs = {d.id: d for d in read_ptc(ptc_root)}
    assert set(docs) == {"42", "43"}
    doc = docs["42"]
    assert doc.text == PTC_TEXT
    assert doc.title == "Big headline here"
    assert doc.language == "en"
    got = [(doc.span_text(s), s.label) for s in doc.spans["gold:techniques"]]
    assert got == [("traitors", "Name_Calling,Labeling"), ("lie.", "Repetition")]
    assert doc.meta["dropped_spans"] == 1  # the span past the end of the text
    assert docs["43"].spans["gold:techniques"] == []


def test_ptc_missing_data_names_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "ptc")):
        read_ptc(tmp_path)
    write(tmp_path / "ptc/dev-articles/article1.txt", "x\n")
    with pytest.raises(FileNotFoundError, match="dev-task-flc-tc.labels"):
        read_ptc(tmp_path, "dev")


SE23_TEXT = "Title line\n\nFirst paragraph, so bad.\n\nSecond one.\n"


@pytest.fixture
def se23_root(tmp_path: Path) -> Path:
    en = tmp_path / "semeval2023-task3/en"
    write(en / "train-articles-subtask-3/article7.txt", SE23_TEXT)
    write(en / "train-labels-subtask-1.txt", "7\topinion\n")
    write(en / "train-labels-subtask-2.txt", "7\tPolitical,Morality\n")
    write(en / "train-labels-subtask-3.txt", "7\t1\t\n7\t3\tLoaded_Language,Appeal_to_Fear-Prejudi-čce\n7\t5\t\n")
    write(
        en / "train-labels-subtask-3-spans.txt", "7\tLoaded_Language\t32\t35\n7\tAppeal_to_Fear-Prejudi-čce\t12\t37\n"
    )
    ge = tmp_path / "semeval2023-task3/ge"
    write(ge / "dev-articles-subtask-3/article9.txt", "Titel\n\nEin Absatz.\n")
    write(ge / "dev-labels-subtask-3.txt", "9\t1\t\n9\t3\tDoubt\n")
    # Non-English spans are unreliable upstream and must be ignored.
    write(ge / "dev-labels-subtask-3-spans.txt", "9\tDoubt\t0\t3\n")
    return tmp_path


def test_semeval2023_english(se23_root: Path) -> None:
    (doc,) = read_semeval2023(se23_root, "en")
    assert doc.id == "7" and doc.language == "en"
    gold = doc.meta["gold"]
    assert gold["genre"] == "opinion"
    assert gold["frames"] == ["Political", "Morality"]
    assert gold["paragraphs"] == [
        {"line": 1, "start": 0, "end": 10, "techniques": []},
        {"line": 3, "start": 12, "end": 36, "techniques": ["Loaded_Language", "Appeal_to_Fear-Prejudice"]},
        {"line": 5, "start": 38, "end": 49, "techniques": []},
    ]
    assert doc.text[12:36] == "First paragraph, so bad."
    spans = [(s.start, s.end, s.label) for s in doc.spans["gold:techniques"]]
    assert spans == [(12, 37, "Appeal_to_Fear-Prejudice"), (32, 35, "Loaded_Language")]


def test_semeval2023_maps_language_codes(se23_root: Path) -> None:
    for code in ("ge", "de"):
        (doc,) = read_semeval2023(se23_root, code, split="dev")
        assert doc.language == "de"
        assert "gold:techniques" not in doc.spans
        assert doc.meta["gold"]["genre"] is None and doc.meta["gold"]["frames"] == []
        assert [p["techniques"] for p in doc.meta["gold"]["paragraphs"]] == [[], ["Doubt"]]
    with pytest.raises(ValueError, match="unknown SemEval-2023 language"):
        read_semeval2023(se23_root, "xx")


def test_line_paragraphs_counts_crlf() -> None:
    text = "Head\r\n\r\nBody text\r\n"
    paragraphs = line_paragraphs(text, {3: ["Doubt"]})
    assert paragraphs == [
        {"line": 1, "start": 0, "end": 4, "techniques": []},
        {"line": 3, "start": 8, "end": 17, "techniques": ["Doubt"]},
    ]
    assert text[8:17] == "Body text"


SE25_TEXT = "Kyiv regime blamed.\r\nNATO is the aggressor, says Moscow.\r\n"


@pytest.fixture
def se25_root(tmp_path: Path) -> Path:
    root = tmp_path / "semeval2025-task10/train/EN"
    write(root / "raw-documents/EN_UA_1.txt", SE25_TEXT)
    write(root / "raw-documents/EN_CC_2.txt", "Nothing.\n")
    entities = (
        "EN_UA_1.txt\tNATO\t21\t24\tAntagonist\tInstigator\tForeign Adversary\n"
        "EN_UA_1.txt\tKyiv\t0\t3\tAntagonist\tTyrant\n"
    )
    write(root / "subtask-1-annotations.txt", entities)
    narratives = (
        "EN_UA_1.txt\tURW: Praise of Russia;URW: Discrediting Ukraine\t"
        "URW: Praise of Russia: Other;URW: Discrediting Ukraine: Other\nEN_CC_2.txt\tOther\tOther\n"
    )
    write(root / "subtask-2-annotations.txt", narratives)
    return tmp_path


def test_semeval2025_entities_end_inclusive_and_crlf(se25_root: Path) -> None:
    docs = {d.id: d for d in read_semeval2025(se25_root, "en")}
    doc = docs["EN_UA_1.txt"]
    assert doc.language == "en"
    assert doc.text == SE25_TEXT  # CRLF kept: the offsets count it
    assert [(doc.span_text(s), s.label) for s in doc.spans["gold:entities"]] == [
        ("Kyiv", "Antagonist"),
        ("NATO", "Antagonist"),
    ]
    assert doc.meta["gold"]["entity_fine_roles"] == [["Tyrant"], ["Instigator", "Foreign Adversary"]]
    assert doc.meta["gold"]["narratives"] == ["URW: Praise of Russia", "URW: Discrediting Ukraine"]
    assert doc.meta["gold"]["subnarratives"][0] == "URW: Praise of Russia: Other"
    assert docs["EN_CC_2.txt"].spans["gold:entities"] == []
    assert docs["EN_CC_2.txt"].meta["gold"]["narratives"] == ["Other"]


def test_semeval2025_bad_language_and_missing(se25_root: Path) -> None:
    with pytest.raises(ValueError, match="unknown SemEval-2025 language"):
        read_semeval2025(se25_root, "DE")
    with pytest.raises(FileNotFoundError, match="BG"):
        read_semeval2025(se25_root, "BG")


def test_unlp2025(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "id": ["a1", "b2"],
            "content": ["Все знають: вороги брешуть.", "Просто новина."],
            "lang": ["uk", "ru"],
            "manipulative": [True, False],
            "techniques": [["loaded_language"], None],
            "trigger_words": [[[12, 18], [19, 26], [30, 40]], None],
        }
    )
    path = tmp_path / "unlp2025-manipulation/train.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    first, second = read_unlp2025(tmp_path)
    assert first.language == "uk" and second.language == "ru"
    assert [first.span_text(s) for s in first.spans["gold:triggers"]] == ["вороги", "брешуть"]
    assert first.meta["dropped_spans"] == 1
    assert first.meta["gold"] == {"techniques": ["loaded_language"], "manipulative": True}
    assert second.meta["gold"] == {"techniques": [], "manipulative": False}
    assert second.spans["gold:triggers"] == []


def test_unlp2025_missing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="train.parquet"):
        read_unlp2025(tmp_path)


def test_semeval2025_dev_layout(tmp_path: Path) -> None:
    root = tmp_path / "semeval2025-task10/dev/PT"
    write(root / "subtask-1-documents/PT_1.txt", "Lula elogia a Rússia.\n")
    write(root / "subtask-2-documents/PT_1.txt", "Lula elogia a Rússia.\n")
    write(root / "subtask-2-documents/PT_2.txt", "Outro texto.\n")
    write(root / "subtask-1-annotations.txt", "PT_1.txt\tLula\t0\t3\tProtagonist\tPeacemaker\n")
    write(root / "subtask-2-annotations.txt", "PT_1.txt\tURW: Praise of Russia\tURW: Praise of Russia: Other\n")
    docs = read_semeval2025(tmp_path, "pt", split="dev")
    assert [d.id for d in docs] == ["PT_1.txt", "PT_2.txt"]
    assert [docs[0].span_text(s) for s in docs[0].spans["gold:entities"]] == ["Lula"]
    assert docs[1].meta["gold"]["narratives"] == []
