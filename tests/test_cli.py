import json

from typer.testing import CliRunner

from claimcheck.cli import app
from conftest import CORPUS

runner = CliRunner()


def test_compare_writes_every_format(tmp_path, cache_dir):
    outputs = [tmp_path / f"report.{s}" for s in ("html", "md", "json")]
    args = ["compare", str(CORPUS), "--quiet"] + [x for p in outputs for x in ("-o", str(p))]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "agree" in result.stdout and "contradict" in result.stdout
    assert all(p.stat().st_size > 0 for p in outputs)
    assert json.loads(outputs[2].read_text())["schema_version"] == 1
    assert not list(tmp_path.glob(".report*"))  # no temp files left behind


def test_compare_json_to_stdout(tmp_path, cache_dir):
    (tmp_path / "a.txt").write_text("The port reopened on Friday.")
    result = runner.invoke(app, ["compare", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["articles"][0]["id"] == "a"


def test_user_mistakes_exit_nonzero_without_traceback(tmp_path, cache_dir):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for path in (tmp_path / "missing.txt", empty, tmp_path):
        result = runner.invoke(app, ["compare", str(path)])
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert "error[E1" in result.output
    good = tmp_path / "good.txt"
    good.write_text("The port reopened on Friday.")
    result = runner.invoke(app, ["compare", str(good), str(empty), "-q"])
    assert result.exit_code == 0 and "empty.txt" in result.output
    result = runner.invoke(app, ["compare", str(good), str(empty), "--strict"])
    assert result.exit_code == 1 and "empty.txt" in result.output


def test_unwritable_output_is_a_clean_error(tmp_path, cache_dir):
    (tmp_path / "a.txt").write_text("The port reopened on Friday.")
    result = runner.invoke(app, ["compare", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "dir" / "r.html")])
    assert result.exit_code == 1 and "E401" in result.output and "Traceback" not in result.output


def test_judge_pairs(tmp_path, cache_dir):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        json.dumps({"a": "They signed a 20-year treaty.", "b": "They signed a 25-year treaty."}) + "\n"
        + json.dumps({"a": "The port reopened on Friday.", "b": "The port reopened on Friday."}) + "\n"
    )
    result = runner.invoke(app, ["judge", str(pairs)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["relation"] for line in lines] == ["contradict", "agree"]
    assert set(lines[0]) == {"relation", "detail_from", "score", "reason"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": "x"}\n')
    result = runner.invoke(app, ["judge", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl" in result.output and "line 1" in result.output


def test_models_lists_embedders_and_judges():
    result = runner.invoke(app, ["models", "--json"])
    assert result.exit_code == 0
    names = {row["name"] for row in json.loads(result.stdout)}
    assert {"minilm", "minilm-torch", "nli", "similarity"} <= names
