"""`claimcheck eval claims`: extracted claims against human-written atomic units.

Gold units come from RoSE (atomic content units of news/dialogue summaries) and
PropSegmEnt (propositions of Wikipedia sentences). Every extractor — ours and the
baseline that makes one claim of each sentence — is scored by the same rule:

    a claim and a gold unit *match* when the F1 of their content words is >= 0.5.

Content words are lower-cased alphanumeric tokens minus a short stop-word list, with a
trailing plural/possessive "s" cut off, so "talks" and "talk" are one word. F1 rewards
a claim for holding the unit's words *and* for not holding much else: a whole sentence
"matches" a unit only when the unit is most of the sentence. The threshold 0.5 was fixed
before any extractor was measured (it is the usual "more shared than not" point) and is
not tuned; the results also carry the threshold-free mean best F1 and the figures at 0.4
and 0.6, so a reader can see the ranking does not hinge on it.

Text in [brackets] is what the extractor put in (a resolved name); it counts as claim
text for matching, but span validity checks only the words outside brackets.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claimcheck.split.sentences import sentence_spans
from claimcheck.types import Article, Claim

THRESHOLD = 0.5
SWEEP = (0.4, 0.5, 0.6)
_STOP = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been being has have had do does did "
    "that this these those it its he she they them his her their him we our you your i me my there here which who "
    "whom whose what when where while will would can could should may might must shall not no so than then too very "
    "also just into onto over about after before".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")
_BRACKETED = re.compile(r"\[[^\]]*\]")


def content_words(text: str) -> set[str]:
    words = set()
    for token in _TOKEN.findall(text.lower().replace("’", "'").replace("'s ", " ")):
        if token in _STOP:
            continue
        words.add(token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token)
    return words


def overlap_f1(a: set[str], b: set[str]) -> float:
    shared = len(a & b)
    return 0.0 if not shared else 2 * shared / (len(a) + len(b))


def claim_text(claim: Claim) -> str:
    """What the claim says, with our inserted names kept but their brackets dropped."""
    return claim.text.replace("[", "").replace("]", "")


def spans_valid(claim: Claim, text: str) -> bool:
    """Spans lie inside the text, in order, without overlap, and hold every word of
    the claim that the extractor did not mark as its own insertion."""
    if not claim.spans:
        return False
    previous_end = -1
    for start, end in claim.spans:
        if not (0 <= start < end <= len(text)) or start < previous_end or not text[start:end].strip():
            return False
        previous_end = end
    source = {w.lower() for s, e in claim.spans for w in _TOKEN.findall(text[s:e].lower())}
    own = _TOKEN.findall(_BRACKETED.sub(" ", claim.text).lower())
    return all(w in source for w in own)


class SentenceBaseline:
    """One claim per sentence, from the same sentence splitter the pipeline uses."""

    name = "one claim per sentence"

    def extract(self, article: Article) -> list[Claim]:
        claims = []
        for index, (start, end) in enumerate(sentence_spans(article.text, article.body_start)):
            sentence = article.text[start:end]
            claims.append(Claim(id=f"{article.id}:s{index + 1:03d}", article_id=article.id, text=sentence,
                                spans=((start, end),), sentence=index, proposition=sentence))
        return claims


@dataclass(frozen=True)
class Item:
    """One text to split and the gold units written for it."""

    id: str
    group: str  # a sub-corpus, reported separately (e.g. "xsum")
    text: str
    gold: tuple[str, ...]


def rose_items(data_dir: Path) -> Iterator[Item]:
    with (data_dir / "rose" / "acus_dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["acus"]:
                yield Item(row["id"], row["dataset"], row["summary"], tuple(row["acus"]))


def propsegment_items(data_dir: Path) -> Iterator[Item]:
    """Each segmented sentence on its own, with its reference segmentation."""
    with (data_dir / "propsegment" / "propositions.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["has_reference"] and row["propositions"]:
                yield Item(row["id"], row["split"], row["sentence"], tuple(p["text"] for p in row["propositions"]))


DATASETS: dict[str, tuple[str, Callable[[Path], Iterator[Item]]]] = {
    "RoSE ACU dev": ("rose/acus_dev.jsonl", rose_items),
    "PropSegmEnt": ("propsegment/propositions.jsonl", propsegment_items),
}


@dataclass
class _Tally:
    gold: int = 0
    covered: dict[float, int] | None = None
    claims: int = 0
    precise: dict[float, int] | None = None
    best_gold: float = 0.0  # sum of each gold unit's best F1
    best_claim: float = 0.0
    sentences: int = 0
    valid: int = 0
    texts: int = 0

    def __post_init__(self):
        self.covered = {t: 0 for t in SWEEP}
        self.precise = {t: 0 for t in SWEEP}

    def add(self, item: Item, claims: list[Claim], sentences: int) -> None:
        gold = [content_words(g) for g in item.gold]
        found = [content_words(claim_text(c)) for c in claims]
        scores = [[overlap_f1(g, f) for f in found] for g in gold]
        self.texts += 1
        self.gold += len(gold)
        self.claims += len(claims)
        self.sentences += sentences
        self.valid += sum(spans_valid(c, item.text) for c in claims)
        gold_best = [max(row, default=0.0) for row in scores]
        claim_best = [max((scores[g][c] for g in range(len(gold))), default=0.0) for c in range(len(claims))]
        self.best_gold += sum(gold_best)
        self.best_claim += sum(claim_best)
        for t in SWEEP:
            self.covered[t] += sum(b >= t for b in gold_best)
            self.precise[t] += sum(b >= t for b in claim_best)

    def result(self) -> dict:
        share = lambda n, d: round(n / d, 4) if d else 0.0  # noqa: E731
        return {
            "texts": self.texts, "gold_units": self.gold, "claims": self.claims, "sentences": self.sentences,
            "coverage": share(self.covered[THRESHOLD], self.gold),
            "precision": share(self.precise[THRESHOLD], self.claims),
            "claims_per_sentence": share(self.claims, self.sentences),
            "valid_spans": share(self.valid, self.claims),
            "mean_best_f1_gold": share(self.best_gold, self.gold),
            "mean_best_f1_claim": share(self.best_claim, self.claims),
            "sweep": {str(t): {"coverage": share(self.covered[t], self.gold), "precision": share(self.precise[t], self.claims)}
                      for t in SWEEP},
        }


def evaluate_claims(
    extractors: dict[str, object],
    data_dir: Path,
    limit: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Score each extractor (an object with `extract(article)`) on every gold set present."""
    results: dict = {"threshold": THRESHOLD, "matching": "content-word F1 >= threshold (see claimcheck/evaluation/claims.py)",
                     "limit": limit, "sets": {}, "skipped": []}
    for set_name, (relative, reader) in DATASETS.items():
        if not (data_dir / relative).exists():
            results["skipped"].append(set_name)
            log(f"skipping {set_name}: {data_dir / relative} is absent")
            continue
        items = list(reader(data_dir))[:limit]
        entry: dict = {}
        for name, extractor in extractors.items():
            overall, groups = _Tally(), {}
            started = time.perf_counter()
            for item in items:
                article = Article(id=item.id, text=item.text, source=item.group)
                claims = extractor.extract(article)
                sentences = len(sentence_spans(item.text))
                overall.add(item, claims, sentences)
                groups.setdefault(item.group, _Tally()).add(item, claims, sentences)
            seconds = time.perf_counter() - started
            entry[name] = overall.result() | {"seconds": round(seconds, 2),
                                             "groups": {g: t.result() for g, t in sorted(groups.items())}}
            log(f"{set_name} / {name}: " + json.dumps({k: v for k, v in entry[name].items() if k not in ("groups", "sweep")}))
        results["sets"][set_name] = entry
    return results


def claims_table(results: dict) -> str:
    lines = ["| gold set | extractor | gold units | claims | coverage | precision | claims/sentence | valid spans | mean best F1 (gold / claim) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for set_name, entry in results["sets"].items():
        for name, r in entry.items():
            lines.append(f"| {set_name} | {name} | {r['gold_units']} | {r['claims']} | {r['coverage']:.3f} | {r['precision']:.3f} | "
                         f"{r['claims_per_sentence']:.2f} | {r['valid_spans']:.3f} | {r['mean_best_f1_gold']:.3f} / {r['mean_best_f1_claim']:.3f} |")
    if results["skipped"]:
        lines.append(f"\nSkipped (absent): {', '.join(results['skipped'])}")
    return "\n".join(lines)
