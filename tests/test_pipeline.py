import pytest

from propscope import pipeline
from propscope.analyzers.base import Analyzer
from propscope.pipeline import Pipeline, PipelineError
from propscope.schema import Document, Entity, Offsets, TechniqueSpan


class Marks(Analyzer):
    """Marks the word 'traitors' as Name_Calling-Labeling."""

    name = "marks"
    adds = ("techniques",)

    def predict(self, doc, analysis):
        i = doc.text.find("traitors")
        if i < 0:
            return {"techniques": []}
        return {"techniques": [TechniqueSpan("Name_Calling-Labeling", i, i + 8, "traitors", 0.9)]}


class Boom(Analyzer):
    name = "boom"
    adds = ("entities",)

    def predict(self, doc, analysis):
        if "boom" in doc.text:
            raise RuntimeError("exploded")
        return {"entities": [Entity("Kim", [Offsets(0, 3)])]}


class NeedsEntities(Analyzer):
    name = "needs_entities"
    needs = ("entities",)
    adds = ("narratives",)

    def predict(self, doc, analysis):
        return {"narratives": []}


class Liar(Analyzer):
    name = "liar"
    adds = ("claims",)

    def predict(self, doc, analysis):
        return {"claims": [], "frames": []}


def docs(*texts):
    return [Document(id=str(i), text=t) for i, t in enumerate(texts)]


def test_runs_analyzers_in_order_and_records_versions():
    [a] = Pipeline([Marks()]).run(docs("They called them traitors."))
    assert [(t.technique, t.text) for t in a.techniques] == [("Name_Calling-Labeling", "traitors")]
    assert a.models == {"marks": "rules-1"}
    assert a.errors == []


def test_failing_analyzer_records_error_and_others_still_run():
    out = Pipeline([Boom(), Marks()]).run(docs("boom traitors", "Kim met traitors"))
    assert [(e.analyzer, e.message) for e in out[0].errors] == [("boom", "RuntimeError: exploded")]
    assert out[0].entities == []
    assert out[0].techniques[0].text == "traitors"
    # the batch fell back to one-by-one, so the healthy document kept its result
    assert out[1].errors == [] and out[1].entities[0].name == "Kim"


def test_dependent_analyzer_reports_missing_input_when_its_need_failed():
    out = Pipeline([Boom(), NeedsEntities()]).run(docs("boom", "fine"))
    assert [e.analyzer for e in out[0].errors] == ["boom", "needs_entities"]
    assert "needs entities" in out[0].errors[1].message
    assert out[1].errors == []


def test_order_is_checked_when_built():
    with pytest.raises(PipelineError, match="needs_entities needs"):
        Pipeline([NeedsEntities(), Boom()])


def test_undeclared_fields_are_an_error_not_silently_set():
    [a] = Pipeline([Liar()]).run(docs("text"))
    assert a.errors and "undeclared" in a.errors[0].message


def test_unknown_analyzer_name():
    with pytest.raises(PipelineError, match="unknown analyzer 'nope'"):
        pipeline.build(["nope"])


def test_pipe_streams_in_batches():
    texts = [f"doc {i} traitors" for i in range(5)]
    out = list(Pipeline([Marks()]).pipe(docs(*texts), batch_size=2))
    assert [a.document.text for a in out] == texts
    assert all(len(a.techniques) == 1 for a in out)
