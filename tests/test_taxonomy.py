"""The technique taxonomy: ids, groups, colours, the PTC mapping, and label lookup with fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope import taxonomy
from propscope.taxonomy import techniques as tx

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SEMEVAL_LIST = DATA / "semeval2023-task3" / "techniques_subtask3.txt"
PTC_LABELS = DATA / "ptc" / "train-task-flc-tc.labels"


def test_23_unique_ids_and_numbers():
    assert len(tx.TECHNIQUES) == 23
    assert len(set(tx.IDS)) == 23
    assert sorted(t.number for t in tx.TECHNIQUES) == list(range(1, 24))


def test_six_groups_each_used():
    assert len(tx.GROUPS) == 6
    assert {t.group for t in tx.TECHNIQUES} == set(tx.GROUPS)
    assert sum(len(tx.in_group(g)) for g in tx.GROUPS) == 23
    assert {t.id for t in tx.in_group("Distraction")} == {"Straw_Man", "Red_Herring", "Whataboutism"}


def test_definitions_examples_and_names_present():
    for t in tx.TECHNIQUES:
        assert len(t.definition) > 60, t.id
        assert t.example.strip(), t.id
        assert t.name and "_" not in t.name, t.id


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_colours_unique_and_readable_with_dark_text():
    colours = [t.colour.lower() for t in tx.TECHNIQUES]
    assert len(set(colours)) == 23
    text = _luminance("#1a1a1a")
    for t in tx.TECHNIQUES:
        contrast = (_luminance(t.colour) + 0.05) / (text + 0.05)
        assert contrast >= 7, f"{t.id} colour {t.colour} has contrast {contrast:.1f}"


def test_every_ptc_class_maps_to_known_techniques():
    assert len(tx.PTC_CLASSES) == 14
    for cls in tx.PTC_CLASSES:
        targets = tx.from_ptc(cls)
        assert targets and all(tx.is_technique(t) for t in targets), cls
    assert tx.from_ptc("Whataboutism,Straw_Men,Red_Herring") == ("Whataboutism", "Straw_Man", "Red_Herring")
    assert tx.from_ptc("Black-and-White_Fallacy") == ("False_Dilemma-No_Choice",)
    with pytest.raises(KeyError, match="unknown PTC class"):
        tx.from_ptc("Nope")


def test_new_techniques_have_no_ptc_source():
    mapped = {t for targets in tx.PTC_TO_TECHNIQUES.values() for t in targets}
    assert set(tx.NEW_IN_2023).isdisjoint(mapped)
    assert mapped | set(tx.NEW_IN_2023) == set(tx.IDS)


def test_technique_lookup_by_id_number_and_alias():
    assert tx.technique("Loaded_Language").name == "Loaded Language"
    assert tx.technique(1).id == "Name_Calling-Labeling"
    assert tx.technique("Appeal_to_Fear-Prejudi-čce").id == "Appeal_to_Fear-Prejudice"
    with pytest.raises(KeyError, match="unknown technique 'Loaded language'"):
        tx.technique("Loaded language")
    with pytest.raises(KeyError, match="number 99"):
        tx.technique(99)


def test_describe_techniques_and_fallback_to_raw_id():
    info = taxonomy.describe("techniques", "Doubt")
    assert info.name == "Doubt" and info.definition and info.colour == tx.technique("Doubt").colour
    unknown = taxonomy.describe("techniques", "Made_Up")
    assert (unknown.name, unknown.definition) == ("Made_Up", "")
    assert taxonomy.display_name("no-such-kind", "X_Y") == "X_Y"
    # a label set may be absent or not know a label: never an exception
    assert taxonomy.describe("roles", "Zzz_unknown_role").name == "Zzz_unknown_role"


def test_describe_reads_a_label_set_module(monkeypatch):
    import sys
    import types

    fake = types.ModuleType("propscope.taxonomy.genres")
    fake.LABELS = {"opinion": {"name": "Opinion", "definition": "The writer argues a view."}}
    monkeypatch.setitem(sys.modules, "propscope.taxonomy.genres", fake)
    assert taxonomy.describe("genres", "opinion").name == "Opinion"
    assert taxonomy.definition("genres", "opinion") == "The writer argues a view."
    assert taxonomy.describe("genres", "satire").name == "satire"


@pytest.mark.skipif(not SEMEVAL_LIST.exists(), reason="shared data not present")
def test_ids_match_the_semeval_2023_list():
    listed = {line.strip() for line in SEMEVAL_LIST.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert listed == set(tx.IDS)


@pytest.mark.skipif(not PTC_LABELS.exists(), reason="shared data not present")
def test_ptc_classes_match_the_ptc_labels():
    used = {line.split("\t")[1] for line in PTC_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert used == set(tx.PTC_CLASSES)


def test_describe_uses_a_lookup_function_named_for_the_label(monkeypatch):
    import sys
    import types

    def frame(label_id):
        if label_id != "Economic":
            raise KeyError(label_id)
        return types.SimpleNamespace(id="Economic", definition="Costs, money and jobs.")

    fake = types.ModuleType("propscope.taxonomy.frames")
    fake.frame = frame
    monkeypatch.setitem(sys.modules, "propscope.taxonomy.frames", fake)
    expected = taxonomy.LabelInfo("Economic", "Economic", "Costs, money and jobs.")
    assert taxonomy.describe("frames", "Economic") == expected
    assert taxonomy.describe("frames", "Morality").name == "Morality"


DOC = Path(__file__).resolve().parents[1] / "docs" / "taxonomy.md"


@pytest.mark.skipif(not DOC.exists(), reason="docs not present")
def test_taxonomy_doc_lists_every_technique_and_ptc_class():
    doc = DOC.read_text(encoding="utf-8")
    for name in (*tx.IDS, *tx.PTC_CLASSES):
        assert f"`{name}`" in doc, name
