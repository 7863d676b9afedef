"""What happens when the environment fails: read-only or full output folder, Ctrl-C,
and a bug inside claimcheck (one line, exit 3; --debug shows the traceback)."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from robustness_helpers import ENGLISH, OTHER_ENGLISH, assert_clean_error, compare, as_user  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER_ENGLISH, encoding="utf-8")
    return folder


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_read_only_output_directory(tmp_path, two_articles, cache_dir, as_user):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert_clean_error(compare(two_articles, "-q", "-o", out / "report.html"), "E401", "report.html")
        assert _leftovers(out) == []
    finally:
        out.chmod(0o755)


def test_read_only_output_directory_simulated(tmp_path, two_articles, cache_dir, monkeypatch):
    """The same row when tests run as root: creating the file is made to fail."""
    import types

    import claimcheck.report.comparison as comparison

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    # Only the report writer's tempfile fails; model loading may use tempfile too.
    monkeypatch.setattr(comparison, "tempfile", types.SimpleNamespace(mkstemp=read_only))
    out = tmp_path / "out"
    out.mkdir()
    line = assert_clean_error(compare(two_articles, "-q", "-o", out / "report.json"), "E401", "report.json")
    assert "Read-only file system" in line
    assert _leftovers(out) == []


def test_full_output_directory(tmp_path, two_articles, cache_dir, monkeypatch):
    """ENOSPC arrives while the report is being flushed to disk."""

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "out"
    out.mkdir()
    line = assert_clean_error(compare(two_articles, "-q", "-o", out / "report.md"), "E401", "report.md")
    assert "No space left on device" in line
    assert _leftovers(out) == []  # neither the report nor its temp file


def test_ctrl_c_while_comparing(tmp_path, two_articles, cache_dir, monkeypatch):
    import claimcheck.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(claimcheck.pipeline, "embed_texts", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    result = compare(two_articles, "-o", out / "report.json")
    assert result.exit_code == 130 and "interrupted" in result.output and "Traceback" not in result.output
    assert _leftovers(out) == []


def test_ctrl_c_while_writing_the_report(tmp_path, two_articles, cache_dir, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    out = tmp_path / "out"
    out.mkdir()
    result = compare(two_articles, "-q", "-o", out / "report.html")
    assert result.exit_code == 130 and "Traceback" not in result.output
    assert _leftovers(out) == []  # no half-written report, no temp file


# A real SIGINT: the child blocks inside the pipeline, says so on stderr, and the test
# interrupts it there, as a user pressing Ctrl-C would.
_CHILD = textwrap.dedent("""
    import sys, time
    import claimcheck.pipeline

    def slow(*args, **kwargs):
        print("READY", file=sys.stderr, flush=True)
        time.sleep(60)

    claimcheck.pipeline.embed_texts = slow
    from claimcheck.cli import main
    sys.argv = ["claimcheck", *sys.argv[1:]]
    main()
""")


def test_ctrl_c_signal_in_a_real_process(tmp_path, two_articles, cache_dir):
    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, "compare", str(two_articles), "-o", str(out / "report.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "CLAIMCHECK_CACHE_DIR": str(cache_dir)},
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "READY" not in child.stderr.readline():
            pass
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert _leftovers(out) == []


_BUG = textwrap.dedent("""
    import sys
    import claimcheck.pipeline

    def bug(*args, **kwargs):
        raise RuntimeError("simulated bug")

    claimcheck.pipeline.embed_texts = bug
    from claimcheck.cli import main
    sys.argv = ["claimcheck", *sys.argv[1:]]
    main()
""")


def test_internal_error_is_one_line_unless_debug(two_articles, cache_dir):
    env = {**os.environ, "CLAIMCHECK_CACHE_DIR": str(cache_dir)}
    plain = subprocess.run([sys.executable, "-c", _BUG, "compare", str(two_articles)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert plain.returncode == 3
    assert "internal error: RuntimeError: simulated bug" in plain.stderr and "Traceback" not in plain.stderr
    debug = subprocess.run([sys.executable, "-c", _BUG, "--debug", "compare", str(two_articles)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
