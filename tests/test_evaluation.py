import pytest

from claimcheck.evaluation import as_nli, evaluate
from claimcheck.evaluation.metrics import expected_calibration_error, per_class
from claimcheck.types import Judgement
from conftest import SHARED_DATA


def test_relation_to_nli_mapping():
    assert as_nli(Judgement("agree", 0.9, "")) == "entailment"
    assert as_nli(Judgement("adds_detail", 0.9, "", "a")) == "entailment"
    assert as_nli(Judgement("adds_detail", 0.9, "", "b")) == "neutral"
    assert as_nli(Judgement("contradict", 0.9, "")) == "contradiction"


def test_metrics():
    scores = per_class(["x", "x", "y"], ["x", "y", "y"], ["x", "y"])
    assert scores["x"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert expected_calibration_error([1.0, 1.0], [True, True]) == 0.0
    assert expected_calibration_error([0.9, 0.9], [False, False]) == 0.9


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data is absent")
def test_evaluate_on_a_few_shared_rows():
    judge = lambda a, b: [Judgement("agree", 0.5, "") for _ in a]  # noqa: E731
    results = evaluate(judge, SHARED_DATA, limit=5, log=lambda m: None)
    assert results["sets"]["SICK trial"]["pairs"] == 5
    assert 0 <= results["sets"]["MRPC dev"]["paraphrase_f1"] <= 1
