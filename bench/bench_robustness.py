"""Robustness figures for the README: memory on a 200 MB input, time on a 100,000-character
sentence and on 10,000 tiny files, and how the English check behaves on real news.

    python bench/bench_robustness.py [--mb 200] [--out bench/robustness.json]

Each measurement that reports memory runs in a fresh Python process, so its peak RSS
(ru_maxrss) is that case's alone. The 200 MB input is a JSONL file of news-like records
(and the same text as one .txt file), written to a temporary folder and deleted after."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PARAGRAPH = (
    "The city council approved the new budget on Tuesday after a long debate. The mayor said that the "
    "money would be spent on schools and roads, and that taxes would not rise this year. "
)

# Run in a child process; prints one JSON object with its own time and peak RSS.
_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    started = time.perf_counter()
    outcome = {}
    kind, path, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
    if kind == "cli":
        from typer.testing import CliRunner
        from claimcheck.cli import app
        result = CliRunner().invoke(app, ["compare", path, "--quiet"])
        outcome = {"exit_code": result.exit_code, "message": result.output.strip().splitlines()[-1]}
    else:
        from claimcheck.ingest import read_articles
        articles = read_articles([path], max_file_mb=limit)
        outcome = {"articles": len(articles), "characters": sum(len(a.text) for a in articles)}
    outcome["seconds"] = round(time.perf_counter() - started, 2)
    outcome["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(outcome))
""")


def _child(kind: str, path: Path, limit_mb: float = 50) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, kind, str(path), str(limit_mb)], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def big_inputs(folder: Path, megabytes: int) -> tuple[Path, Path]:
    """A JSONL file and a .txt file of about `megabytes` MB each."""
    jsonl, text = folder / "dump.jsonl", folder / "dump.txt"
    record_text = PARAGRAPH * 20  # about 4 KB, an article's length
    with jsonl.open("w", encoding="utf-8") as out:
        number = 0
        while out.tell() < megabytes * 1_000_000:
            out.write(json.dumps({"id": str(number), "source": f"s{number % 50}", "text": f"Report {number}. {record_text}"}) + "\n")
            number += 1
    with text.open("w", encoding="utf-8") as out:
        while out.tell() < megabytes * 1_000_000:
            out.write(PARAGRAPH * 100 + "\n")
    return jsonl, text


def long_sentence() -> dict:
    from claimcheck.split import ClaimExtractor, sentence_spans
    from claimcheck.types import Article

    words = "the council said that the new bridge, which cost 20 million dollars on Monday, would open "
    text = (words * (100_000 // len(words) + 1))[:100_000].rstrip() + "."
    many = (PARAGRAPH * (100_000 // len(PARAGRAPH) + 1))[:100_000]  # one 100k-character paragraph of short sentences
    figures = {}
    for name, sample in (("one_sentence", text), ("one_paragraph_of_sentences", many)):
        started = time.perf_counter()
        spans = sentence_spans(sample)
        split_s = time.perf_counter() - started
        started = time.perf_counter()
        claims = ClaimExtractor().extract(Article(id="x", text=sample, source="s"))
        figures[name] = {"sentences": len(spans), "split_s": round(split_s, 2), "claims": len(claims),
                         "extract_s": round(time.perf_counter() - started, 2)}
    return figures


def tiny_files(folder: Path, count: int = 10_000) -> dict:
    from claimcheck.ingest import read_articles
    from claimcheck.split import sentence_spans

    many = folder / "many"
    many.mkdir()
    for number in range(count):
        (many / f"{number:05d}.txt").write_text(f"Report {number}: the port reopened after {number} days.\n")
    started = time.perf_counter()
    articles = read_articles([many])
    read_s = time.perf_counter() - started
    sentences = sum(len(sentence_spans(a.text, a.body_start)) for a in articles)
    return {"files": count, "read_s": round(read_s, 2), "read_and_split_s": round(time.perf_counter() - started, 2),
            "sentences": sentences}


def language_check() -> dict | None:
    """How many real news bodies (25+ words) the English check would skip, and which."""
    from claimcheck.ingest.language import guess_english

    bodies = []
    ecb, fnc = DATA / "ecbplus" / "docs.jsonl", DATA / "fnc1" / "train_bodies.jsonl"
    if not (ecb.exists() and fnc.exists()):
        return None
    for line in ecb.open(encoding="utf-8"):
        doc = json.loads(line)
        bodies.append((f"ecbplus:{doc['doc_id']}", " ".join(doc["sentences"])))
    for line in fnc.open(encoding="utf-8"):
        doc = json.loads(line)
        bodies.append((f"fnc1:{doc['body_id']}", doc["text"]))
    judged = [(name, guess_english(text)) for name, text in bodies]
    judged = [(name, g) for name, g in judged if g.words >= 25]
    skipped = [{"id": name, "share": round(g.share, 3), "start": dict(bodies)[name][:80]} for name, g in judged if not g.english]
    kept = sorted(g.share for _, g in judged if g.english)
    return {"bodies": len(judged), "skipped": skipped, "lowest_kept_share": round(kept[0], 3),
            "median_share": round(kept[len(kept) // 2], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "robustness.json")
    args = parser.parse_args()
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        jsonl, text = big_inputs(folder, args.mb)
        sizes = {"jsonl_mb": round(jsonl.stat().st_size / 1e6, 1), "txt_mb": round(text.stat().st_size / 1e6, 1)}
        print("inputs", sizes, flush=True)
        results["big_input"] = {
            "sizes": sizes,
            "cli_default_limit": _child("cli", jsonl),
            "ingest_jsonl_limit_raised": _child("ingest", jsonl, args.mb * 1.5),
            "ingest_txt_limit_raised": _child("ingest", text, args.mb * 1.5),
        }
        print(json.dumps(results["big_input"], indent=2), flush=True)
        results["tiny_files"] = tiny_files(folder)
        print(results["tiny_files"], flush=True)
    results["long_sentence"] = long_sentence()
    print(results["long_sentence"], flush=True)
    results["language_check"] = language_check()
    print(json.dumps(results["language_check"], indent=2), flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
