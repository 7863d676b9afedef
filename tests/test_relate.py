import numpy as np

from claimcheck.relate import SimilarityJudge, judge_claims
from claimcheck.relate.checks import check_pair
from claimcheck.relate.memo import MemoJudge
from claimcheck.relate.nli import BidirectionalNLIJudge
from claimcheck.split import claim_from_text
from claimcheck.types import Judgement


class FixedJudge:
    name = "fixed"

    def __init__(self, verdict):
        self.verdict = verdict

    def judge(self, a, b, similarity):
        return [self.verdict for _ in a]


def test_numbers_turn_agreement_into_contradiction_with_reason():
    a, b = claim_from_text("They signed a 20-year treaty."), claim_from_text("They signed a 25-year treaty.")
    verdict = check_pair(a, b, Judgement("agree", 0.9, "model"), similarity=0.95)
    assert verdict.verdict == "contradict"
    assert "20-year vs 25-year" in verdict.reason


def test_denial_against_report():
    a = claim_from_text("Moscow denied claims that the base was used to move arms.")
    b = claim_from_text("The base was used to move arms.")
    [verdict] = judge_claims(FixedJudge(Judgement("agree", 0.9, "model")), [a], [b], [0.9])
    assert verdict.verdict == "contradict" and verdict.reason.startswith("denial")
    # A denial contradicts only a report of the same thing: the judge must see them as one fact.
    other = claim_from_text("The port was used to move grain.")
    [verdict] = judge_claims(FixedJudge(Judgement("neutral", 0.9, "model")), [a], [other], [0.3])
    assert verdict.verdict == "neutral"


def test_denial_is_contradicted_only_by_a_report_sure_to_assert_the_denied_thing():
    denial = claim_from_text("Araghchi rejected claims that the snapback mechanism has been activated.")
    weaker = claim_from_text("Recent issues are related to the snapback mechanism.")
    stronger = claim_from_text("The snapback mechanism has been activated by three European powers.")
    # The model says the denied proposition entails the weaker report (detail from the denial)...
    [verdict] = judge_claims(FixedJudge(Judgement("adds_detail", 0.8, "model", "a")), [denial], [weaker], [0.7])
    assert verdict.verdict == "neutral"
    # ...and that the stronger report entails the denied proposition (detail from the report).
    [verdict] = judge_claims(FixedJudge(Judgement("adds_detail", 0.8, "model", "b")), [denial], [stronger], [0.8])
    assert verdict.verdict == "contradict" and verdict.reason.startswith("denial")
    # A coin flip that the report asserts it is not enough to call the sources contradictory.
    [verdict] = judge_claims(FixedJudge(Judgement("adds_detail", 0.6, "model", "b")), [denial], [stronger], [0.8])
    assert verdict.verdict == "neutral"


def test_same_wording_needs_no_model_but_still_gets_the_checks():
    a = claim_from_text("Twenty people were hurt in the blast.")
    b = claim_from_text("Twenty  people were hurt in the blast")
    c = claim_from_text("Moscow denied claims that 20 people were hurt.")
    d = claim_from_text("20 people were hurt.")
    [same, denied] = judge_claims(FixedJudge(Judgement("neutral", 0.9, "model")), [a, c], [b, d], [1.0, 0.95])
    assert same.verdict == "agree" and same.reason.startswith("same wording")
    assert denied.verdict == "contradict" and denied.reason.startswith("denial")


def test_similarity_judge_never_invents_contradictions():
    judge = SimilarityJudge()
    verdicts = judge.judge(["The port reopened."] * 3, ["The port reopened.", "Ships sank.", "The port reopened on Friday after repairs."], [0.99, 0.1, 0.7])
    assert [v.verdict for v in verdicts] == ["agree", "neutral", "adds_detail"]
    assert verdicts[2].detail_from == "b"


def test_dates_resolved_against_publication_date():
    from datetime import date

    from claimcheck.split import ClaimExtractor
    from claimcheck.types import Article

    extract = ClaimExtractor().extract
    [a] = extract(Article(id="a", text="Aref met Mishustin on Monday.", source="A", published=date(2025, 11, 18)))
    [b] = extract(Article(id="b", text="Aref met Mishustin on November 17.", source="B", published=date(2025, 11, 20)))
    [c] = extract(Article(id="c", text="Aref met Mishustin on Tuesday.", source="C"))
    agree = Judgement("agree", 0.9, "model")
    assert check_pair(a, b, agree, 0.9).verdict == "agree"  # Monday before 18 Nov 2025 is 17 Nov
    verdict = check_pair(a, c, agree, 0.9)
    assert verdict.verdict == "contradict" and "Monday (2025-11-17) vs Tuesday" in verdict.reason


def test_different_actors_in_the_same_role():
    a, b = claim_from_text("Lavrov welcomed Iran's diplomatic efforts in the region."), claim_from_text("Araghchi welcomed Iran's diplomatic efforts in the region.")
    verdict = check_pair(a, b, Judgement("agree", 0.9, "model"), 0.95)
    assert verdict.verdict == "contradict" and "Lavrov vs Araghchi" in verdict.reason
    same = claim_from_text("Mohammad-Reza Aref welcomed Iran's diplomatic efforts in the region.")
    assert check_pair(same, claim_from_text("Aref welcomed Iran's diplomatic efforts in the region."), Judgement("agree", 0.9, ""), 0.95).verdict == "agree"


def test_a_later_report_updates_an_earlier_plan():
    from datetime import date

    plan = claim_from_text("The presidents are preparing to sign the partnership agreement.")
    done = claim_from_text("The presidents signed the partnership agreement.")
    contra = Judgement("contradict", 0.8, "model")
    verdict = check_pair(plan, done, contra, 0.8, published=(date(2024, 11, 20), date(2025, 1, 17)))
    assert verdict.verdict == "adds_detail" and verdict.detail_from == "b" and verdict.reason.startswith("update")
    assert check_pair(plan, done, contra, 0.8, published=(date(2025, 1, 17), date(2024, 11, 20))).verdict == "contradict"


def test_memo_judge_asks_the_model_once_per_text_pair():
    class Counting:
        name = "counting"
        calls = 0

        def judge(self, a, b, similarity):
            Counting.calls += len(a)
            return [Judgement("agree" if x == y else "neutral", 0.9, "model") for x, y in zip(a, b)]

    memo = MemoJudge(Counting(), capacity=2)
    first = memo.judge(["x", "y", "x"], ["x", "z", "x"], [1.0, 0.5, 1.0])
    second = memo.judge(["y", "x"], ["z", "x"], [0.5, 1.0])
    assert [v.verdict for v in first] == ["agree", "neutral", "agree"]
    assert [v.verdict for v in second] == ["neutral", "agree"]
    assert Counting.calls == 2 and memo.hits == 3


def test_plain_denial_and_reported_speech_in_free_text():
    denied = claim_from_text("Officials denied that the plant had closed.")
    assert (denied.stance, denied.speaker, denied.proposition) == ("denies", "Officials", "the plant had closed")
    said = claim_from_text("Iran said that the talks had failed.")
    assert (said.stance, said.speaker) == ("asserts", "Iran") and said.proposition.startswith("the talks had failed")
    [verdict] = judge_claims(FixedJudge(Judgement("agree", 0.9, "model")), [said], [claim_from_text("The talks failed.")], [0.9])
    # What a report attributes is evidence of what was said; the reason says whose words they are.
    assert verdict.verdict == "agree" and "attributes it to Iran" in verdict.reason


class CalibratedJudge(BidirectionalNLIJudge):
    """Entailment both ways at the given verdict's score, so the raw verdict is that one."""

    verdict_calibration = {"slope": 0.5}

    def __init__(self, verdict):
        self.verdict = verdict

    def probabilities(self, premises, hypotheses):
        rest = (1 - self.verdict.score) / 2
        return np.array([[self.verdict.score, rest, rest] for _ in premises])


def test_verdict_scores_are_calibrated():
    a, b = claim_from_text("The talks failed."), claim_from_text("The talks collapsed.")
    [verdict] = judge_claims(CalibratedJudge(Judgement("agree", 0.8, "model")), [a], [b], [0.9])
    # sigmoid(0.5 · logit(0.8)) = 2 / 3: a slope below 1 pulls an over-confident score in
    assert abs(verdict.score - 2 / 3) < 1e-3
    [memo] = judge_claims(MemoJudge(CalibratedJudge(Judgement("agree", 0.8, "model"))), [a], [b], [0.9])
    assert memo.score == verdict.score


def test_a_dropped_model_contradiction_scores_the_neutral_verdict():
    a, b = claim_from_text("The ministers met in Moscow."), claim_from_text("Oil prices rose in Asia.")
    verdict = check_pair(a, b, Judgement("contradict", 0.8, "model"), similarity=0.2)
    assert verdict.verdict == "neutral" and verdict.score == 0.2


def test_a_two_pass_model_reads_each_pair_both_ways_round():
    from claimcheck.relate.nli import ResearchNLIJudge

    model = ResearchNLIJudge().model
    a, b = ["A man is playing a guitar on a stage."], ["A man is playing an instrument."]
    forward, backward = model.predict_both(a, b)
    assert model.directions == 1
    # int8 activations are scaled per batch, so batching the pair with its mirror moves the
    # probabilities a little.
    assert np.allclose(forward, model.predict(a, b), atol=0.05) and np.allclose(backward, model.predict(b, a), atol=0.05)



def test_a_one_pass_model_gives_both_directions_from_one_run(tmp_path):
    """A model with six logits (a ⇒ b, then b ⇒ a), as `make train-relation` builds for the default judge."""
    import onnx
    from onnx import TensorProto, helper

    from claimcheck.relate.nli import NLIJudge
    from claimcheck.relate.nli_onnx import OnnxNLI

    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])
              for name in ("input_ids", "attention_mask", "token_type_ids")]
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 6])
    # Every pair: a ⇒ b entailment, b ⇒ a contradiction.
    weights = helper.make_tensor("w", TensorProto.FLOAT, [1, 6], [4, 0, 0, 0, 0, 4])
    nodes = [helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
             helper.make_node("ReduceMax", ["mask"], ["one"], axes=[1], keepdims=1),
             helper.make_node("Mul", ["one", "w"], ["logits"])]
    model = helper.make_model(helper.make_graph(nodes, "one_pass", inputs, [logits], initializer=[weights]),
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, tmp_path / "one-pass.onnx")

    nli = OnnxNLI(tmp_path / "one-pass.onnx")
    forward, backward = nli.predict_both(["The talks failed.", "Prices rose."], ["Talks ended.", "Oil got dearer."])
    assert nli.directions == 2 and forward.shape == backward.shape == (2, 3)
    assert (forward.argmax(axis=1) == 0).all() and (backward.argmax(axis=1) == 2).all()
    assert np.allclose(nli.predict(["The talks failed."], ["Talks ended."]), forward[:1])
    [verdict] = NLIJudge(tmp_path / "one-pass.onnx").judge(["The talks failed."], ["Talks ended."], [0.9])
    assert verdict.verdict == "contradict"
