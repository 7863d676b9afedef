"""The store: incremental adds, reports and queries, repair of its index, refusals."""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import claimcheck
from claimcheck.cli import app
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.store import Store
from claimcheck.split import ClaimExtractor
from claimcheck.store.split_worker import SplitWorker, split_ahead
from claimcheck.store.store import INDEX
from claimcheck.types import Article

from conftest import CORPUS

CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory, cache_dir) -> Path:
    """corpus/ added as daily batch jobs would: two articles, then one at a time, then all again."""
    path = tmp_path_factory.mktemp("stores") / "news"
    with Store(path, create=True) as store:
        store.add(CORPUS_FILES[:2])
        for later in CORPUS_FILES[2:]:
            store.add([later])
        store.add([CORPUS])  # all stored already: skipped
    return path


def synthetic_articles(count: int, seed: int = 0) -> list[Article]:
    """Distinct small articles made of corpus sentences, for adds big enough to interrupt."""
    from claimcheck.split import sentence_spans

    sentences = []
    for path in CORPUS_FILES:
        text = path.read_text(encoding="utf-8")
        sentences += [text[s:e].strip() for s, e in sentence_spans(text, 0) if len(text[s:e]) > 40]
    rng = random.Random(seed)
    return [Article(id=f"synthetic-{n:03d}", text=" ".join(rng.sample(sentences, 5)), source=f"outlet {n % 7}")
            for n in range(count)]


def write_articles(folder: Path, articles: list[Article]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        (folder / f"{article.id}.txt").write_text(article.text + "\n", encoding="utf-8")
    return folder


def consistency(path: Path) -> dict:
    """Facts a sound store satisfies, whatever happened to the process writing it."""
    db = sqlite3.connect(path / "claims.sqlite3")
    rows = [r for (r,) in db.execute("SELECT row FROM claims ORDER BY row")]
    assert rows == list(range(len(rows))), "claim rows must stay dense: they are FAISS ids"
    articles = [a for (a,) in db.execute("SELECT id FROM articles")]
    orphans = db.execute("SELECT COUNT(*) FROM claims WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    assert orphans == 0
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with Store(path) as store:
        info = store.info(recall=False)
    assert info["index_vectors"] == info["claims"] == len(rows)
    assert info["index_checkpointed"] <= info["claims"]
    return {"articles": sorted(articles), "claims": len(rows)}


def test_incremental_add_skips_duplicates_and_matches_compare(corpus_store, corpus_comparison):
    with Store(corpus_store) as store:
        result = store.add([CORPUS])
        stored = store.comparison()
    assert result.added == [] and len(result.duplicates) == len(CORPUS_FILES)
    assert [a.id for a in stored.articles] == [a.id for a in corpus_comparison.articles]
    assert len(stored.claims) == len(corpus_comparison.claims)
    assert {c.id for c in stored.claims} == {c.id for c in corpus_comparison.claims}
    counts = stored.counts()
    assert counts["contradict"] >= 1 and counts["agree"] >= 5
    snapback = [r for r in stored.relations if r.kind == "contradict"]
    assert any("snapback" in r.reason for r in snapback)
    pair = {CORPUS_FILES[0].stem.split("_")[0], CORPUS_FILES[1].stem.split("_")[0]}
    between = [r for r in stored.relations if {r.claim_a[:3], r.claim_b[:3]} == pair]
    assert between and all(r.kind != "contradict" for r in between)
    consistency(corpus_store)


def test_report_filters_and_cli(corpus_store, tmp_path):
    runner = CliRunner()
    out = tmp_path / "report.json"
    done = runner.invoke(app, ["report", str(corpus_store), "-o", str(out), "--quiet"])
    assert done.exit_code == 0, done.output
    report = json.loads(out.read_text())
    assert report["counts"]["articles"] == len(CORPUS_FILES)
    story = report["articles"][0]["story_id"]
    assert runner.invoke(app, ["report", str(corpus_store), "--story", story, "-q"]).exit_code == 0
    missing = runner.invoke(app, ["report", str(corpus_store), "--story", "s999"])
    assert missing.exit_code == 1 and "no story 's999'" in missing.output
    bad_date = runner.invoke(app, ["report", str(corpus_store), "--since", "yesterday"])
    assert bad_date.exit_code == 1 and "Traceback" not in bad_date.output
    with Store(corpus_store) as store:
        dated = store.comparison(since=date(2025, 1, 1))
    assert all(a.published and a.published.year >= 2025 for a in dated.articles)


def test_query_finds_the_snapback_dispute(corpus_store):
    with Store(corpus_store) as store:
        found = store.query("The snapback mechanism has been activated by the European powers.")
    assert not found.is_empty()
    assert set(found.columns) >= {"claim_id", "source", "relation", "score", "similarity", "reason"}
    assert "contradict" in found["relation"].to_list() or "agree" in found["relation"].to_list()
    done = CliRunner().invoke(app, ["query", str(corpus_store), "Russia supports Iran on the snapback issue", "--json"])
    assert done.exit_code == 0
    json.loads(done.stdout)


def test_info_reports_index_and_recall(corpus_store):
    done = CliRunner().invoke(app, ["info", str(corpus_store), "--json"])
    facts = json.loads(done.stdout)
    assert facts["index"] == "flat" and facts["index_recall_at_10"] == 1.0
    assert facts["schema_version"] == 1 and facts["dimension"] == 384


def test_missing_or_corrupt_index_is_rebuilt(corpus_store, tmp_path):
    import shutil

    for damage in ("delete", "garbage", "foreign"):
        copy = tmp_path / damage
        shutil.copytree(corpus_store, copy)
        index = copy / INDEX
        if damage == "delete":
            index.unlink()
        elif damage == "garbage":
            index.write_bytes(b"not a faiss index")
        else:
            import faiss

            foreign = faiss.IndexFlatIP(384)
            foreign.add(np.eye(384, dtype=np.float32)[:10])
            faiss.write_index(foreign, str(index))
        with Store(copy) as store:
            facts = store.info(recall=False)
        assert facts["index_repaired"], damage
        consistency(copy)


def test_refusals(corpus_store, tmp_path):
    with pytest.raises(ClaimcheckError) as caught:
        Store(tmp_path / "nothing")
    assert caught.value.code is Code.NOT_A_STORE

    class OtherEmbedder:
        model_id, dim = "some-other-model", 384

        def encode(self, texts):
            return np.zeros((len(texts), 384), np.float32)

    with Store(corpus_store, embedder=OtherEmbedder()) as store, pytest.raises(ClaimcheckError) as caught:
        store.add([Article(id="x", text="A new claim about something.", source="x")])
    assert caught.value.code is Code.STORE_EMBEDDER and "re-embed" in caught.value.render()

    import shutil

    newer = tmp_path / "newer"
    shutil.copytree(corpus_store, newer)
    db = sqlite3.connect(newer / "claims.sqlite3")
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    done = CliRunner().invoke(app, ["info", str(newer)])
    assert done.exit_code == 1 and "E502" in done.output and "schema version 99" in done.output


def test_second_writer_waits_then_fails_clearly(corpus_store):
    with open(corpus_store / "writer.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("12345")
        held.flush()
        told = []
        with Store(corpus_store) as store, pytest.raises(ClaimcheckError) as caught:
            store.add([Article(id="late", text="Another claim arrives late.", source="x")], wait=0.5, on_wait=told.append)
    assert caught.value.code is Code.STORE_LOCKED
    assert told and "waiting" in told[0]
    with Store(corpus_store) as store:  # readers never wait
        assert store.comparison().counts()["articles"] == len(CORPUS_FILES)


def test_same_text_twice_is_stored_once_and_ids_stay_unique(tmp_path, cache_dir):
    first = Article(id="same", text="The minister visited Moscow on Monday.", source="a")
    twin = Article(id="twin", text="The  minister visited Moscow on Monday.\n", source="b")
    other = Article(id="same", text="The minister left Moscow on Tuesday.", source="c")
    with Store(tmp_path / "s", create=True) as store:
        store.add([first])
        result = store.add([twin, other])
        ids = [a.id for a in store.articles()]
    assert result.duplicates == ["twin"]
    assert ids == ["same", "same-2"]


def _add_command(store: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "claimcheck", "--debug", "add", str(store), str(folder), "--batch-size", "3", "-q"]


def _interrupted_adds(tmp_path: Path, trials: int, cache_dir: Path, articles: int) -> None:
    folder = write_articles(tmp_path / "in", synthetic_articles(articles))
    reference = tmp_path / "reference"
    env = dict(os.environ, CLAIMCHECK_CACHE_DIR=str(cache_dir))
    started = time.monotonic()
    _run_add(reference, folder, env)
    duration = time.monotonic() - started  # kill points spread over a whole add on this machine
    expected = consistency(reference)
    rng = random.Random(7)
    for trial in range(trials):
        store = tmp_path / f"killed-{trial}"
        # A session of its own, so the check below counts this add's split workers and no other process's.
        process = subprocess.Popen(_add_command(store, folder), env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.1, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        _no_split_worker_left(session=process.pid)
        if (store / "claims.sqlite3").exists():
            try:
                Store(store).close()
            except ClaimcheckError as exc:  # killed before the store's tables were committed
                assert exc.code is Code.NOT_A_STORE
            else:
                consistency(store)
        _run_add(store, folder, env)
        assert consistency(store) == expected, f"trial {trial}"


def _no_split_worker_left(session: int, timeout: float = 10) -> None:
    """A killed add's split workers (those in its session) read the end of their input and exit."""
    deadline = time.monotonic() + timeout
    while True:
        workers = [p for p in Path("/proc").glob("[0-9]*")
                   if "claimcheck.store.split_worker" in _cmdline(p) and _session(p) == session]
        if not workers or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert workers == []


def _session(process: Path) -> int | None:
    try:
        stat = (process / "stat").read_text()
    except OSError:  # it ended while we looked
        return None
    return int(stat[stat.rindex(")") + 2:].split()[3])  # after the name: state, parent, group, session


def _cmdline(process: Path) -> str:
    try:
        return (process / "cmdline").read_bytes().decode(errors="replace")
    except OSError:  # it ended while we looked
        return ""


def test_split_worker_gives_the_claims_of_splitting_here_and_survives_losing_its_child():
    articles = synthetic_articles(6)
    want = ClaimExtractor().extract_many(articles)
    ahead = split_ahead([articles[:2], articles[2:4], articles[4:]])
    assert [group for _, claims in ahead for group in claims] == want
    with SplitWorker() as worker:
        worker._process.kill()
        worker._process.wait()
        worker.submit(articles[:2])
        assert worker.result() == (articles[:2], want[:2])  # split here instead


def _run_add(store: Path, folder: Path, env: dict) -> None:
    done = subprocess.run(_add_command(store, folder), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_killed_add_leaves_a_sound_store_and_rerun_completes_it(tmp_path, cache_dir):
    _interrupted_adds(tmp_path, 2, cache_dir, articles=12)


@pytest.mark.slow
def test_killed_add_twenty_times(tmp_path, cache_dir):
    _interrupted_adds(tmp_path, 20, cache_dir, articles=30)


def test_rebuild_swaps_in_a_store_with_the_new_embedder(tmp_path, cache_dir):
    path = tmp_path / "s"
    with Store(path, create=True) as store:
        store.add(synthetic_articles(4))
    result = claimcheck.store.rebuild(path, "minilm-torch")
    assert len(result.added) == 4
    with Store(path) as store:
        assert len(store.articles()) == 4
    assert not (tmp_path / "s.rebuild").exists() and not (tmp_path / "s.replaced").exists()


@pytest.mark.slow
def test_ray_executor_builds_the_same_store(tmp_path, cache_dir):
    pytest.importorskip("ray")
    articles = synthetic_articles(12, seed=3)
    stores = {}
    for executor in ("local", "ray"):
        path = tmp_path / executor
        with Store(path, create=True, cache_dir=None) as store:
            store.add(articles, executor=executor, batch_articles=5)
            stores[executor] = (store.comparison(), np.stack([store._index.reconstruct(i) for i in range(store._index.ntotal)]))
    (local, local_vectors), (ray_result, ray_vectors) = stores["local"], stores["ray"]
    assert local.render("json") == ray_result.render("json")
    assert np.allclose(local_vectors, ray_vectors, atol=1e-5)


def test_index_turns_approximate_past_the_flat_limit(tmp_path, cache_dir, monkeypatch):
    from claimcheck.store import vectors

    monkeypatch.setattr(vectors, "FLAT_LIMIT", 20)
    with Store(tmp_path / "s", create=True) as store:
        store.add(synthetic_articles(1))
        assert store.info()["index"] == "flat"
        store.add(synthetic_articles(3, seed=5))
        facts = store.info()
    assert facts["index"] == "hnsw" and facts["index_recall_at_10"] >= 0.9
    consistency(tmp_path / "s")
