"""Time `compare` end to end next to the embedder's raw speed, in one run on one machine.

    python bench/bench_compare.py [--docs 300] [--out bench/results.json]

Corpora: the bundled corpus/ and, when ../shared/data is present, the first N news
articles of ECB+ (written to a temporary JSONL file). Each compare runs with an empty
embedding cache (cold) and then again with the cache filled (warm)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "docs.jsonl"


def ecb_corpus(docs: int, folder: Path) -> Path | None:
    if not ECB.exists():
        return None
    path = folder / f"ecbplus-{docs}.jsonl"
    with ECB.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for number, line in enumerate(src):
            if number >= docs:
                break
            doc = json.loads(line)
            out.write(json.dumps({"id": doc["doc_id"], "source": doc["doc_id"], "text": " ".join(doc["sentences"])}) + "\n")
    return path


def time_compare(path: Path, cache: Path) -> dict:
    import claimcheck

    os.environ["CLAIMCHECK_CACHE_DIR"] = str(cache)
    runs = {}
    for label in ("cold", "warm"):
        started = time.perf_counter()
        result = claimcheck.compare(path)
        seconds = time.perf_counter() - started
        runs[label] = {"seconds": round(seconds, 2), "claims_per_s": round(len(result.claims) / seconds, 1),
                       "stages": {k: round(v, 2) for k, v in result.timings.items()}}
    counts = result.counts()
    return {"corpus": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name), "judge": result.judge,
            "articles": counts["articles"], "claims": counts["claims"], "pairs_related": len(result.relations), **runs}


def raw_embedder_speed(path: Path, name: str, cache: Path) -> dict:
    """Sentences/s of the bare embedder on the same corpus's sentences, no vector cache."""
    from claimcheck.embed import get_embedder
    from claimcheck.ingest import read_articles
    from claimcheck.split import sentence_spans

    sentences = [a.text[s:e] for a in read_articles([path]) for s, e in sentence_spans(a.text, a.body_start)]
    model = get_embedder(name, cache_dir=cache)
    model.encode(sentences[:32])  # warm-up: first call pays for lazy initialisation
    started = time.perf_counter()
    model.encode(sentences)
    seconds = time.perf_counter() - started
    return {"sentences": len(sentences), "seconds": round(seconds, 2), "sentences_per_s": round(len(sentences) / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300, help="ECB+ articles in the larger corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
               "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = [ROOT / "corpus"]
        larger = ecb_corpus(args.docs, tmp)
        if larger:
            corpora.append(larger)
        else:
            print("../shared/data/ecbplus is absent: timing corpus/ only")
        for number, corpus in enumerate(corpora):
            run = time_compare(corpus, tmp / f"cache{number}")
            run["embedder_raw"] = raw_embedder_speed(corpus, "minilm", tmp / f"cache{number}")
            run["embedder_raw_torch"] = raw_embedder_speed(corpus, "minilm-torch", tmp / f"cache{number}")
            results["runs"].append(run)
            print(json.dumps(run))
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'corpus':24} {'claims':>7} {'cold s':>7} {'claims/s':>9} {'warm s':>7} {'onnx sent/s':>12} {'torch sent/s':>13}")
    for run in results["runs"]:
        print(f"{run['corpus']:24} {run['claims']:>7} {run['cold']['seconds']:>7} {run['cold']['claims_per_s']:>9} "
              f"{run['warm']['seconds']:>7} {run['embedder_raw']['sentences_per_s']:>12} "
              f"{run['embedder_raw_torch']['sentences_per_s']:>13}")
    print(f"peak RSS {results['peak_rss_mb']} MB; written to {args.out}")


if __name__ == "__main__":
    main()
