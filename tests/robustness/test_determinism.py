"""The same input and options give byte-identical JSON reports, through the CLI, run after run."""

from robustness_helpers import ENGLISH, OTHER_ENGLISH, assert_ok, compare
from conftest import CORPUS


def test_same_input_gives_byte_identical_json(tmp_path, cache_dir):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ENGLISH)
    (tmp_path / "in" / "b.txt").write_text(OTHER_ENGLISH)
    # Two corpus reports of one event, so there are relations whose order could wobble.
    inputs = [tmp_path / "in", CORPUS / "000_e1bb8516b5aa0f7f.txt", CORPUS / "001_14d15a553c2c56fc.txt"]
    reports = []
    for run in (1, 2):
        out = tmp_path / f"run{run}.json"
        assert_ok(compare(*inputs, "-q", "-o", out))
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    assert '"kind": "agree"' in reports[0].decode()
