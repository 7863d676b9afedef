"""Optional claim splitting by a large language model behind an OpenAI-compatible
`/v1/chat/completions` endpoint.

Configured from the environment so the key never reaches a command line, log or report:
CLAIMCHECK_LLM_URL (e.g. http://localhost:8000/v1), CLAIMCHECK_LLM_MODEL and
CLAIMCHECK_LLM_API_KEY (optional). The model sees the article's numbered sentences and
answers JSON: {"claims": [{"sentence": n, "text": "...", "source": "..."}]}, where
`source` is the verbatim part of sentence n the claim comes from (it becomes the span).
Answers are checked against that shape; anything else — HTTP errors, timeouts, junk —
makes the article fall back to the offline splitter, with a warning. Good answers are
cached in SQLite keyed by (model, prompt, text), so a rerun asks nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import warnings
from pathlib import Path

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.remote_http import Endpoint
from claimcheck.split.claims import ClaimExtractor, claim_from_text
from claimcheck.split.dates import find_dates
from claimcheck.split.sentences import sentence_spans
from claimcheck.types import Article, Claim

log = logging.getLogger(__name__)

PROMPT = """Split the numbered news sentences below into atomic claims: one checkable fact each.
Rules: keep attribution ("X said that ..." stays one claim about what X said); replace pronouns
and phrases like "the two sides" with the names the text uses; keep dates and numbers; skip text
that states no fact. Answer only JSON of this shape:
{"claims": [{"sentence": <sentence number>, "text": "<the claim, standing alone>",
             "source": "<the exact words of that sentence the claim comes from>"}]}"""
MAX_CLAIM_CHARS = 600


class SplitterFallback(UserWarning):
    """An article was split offline because the LLM endpoint failed or answered junk."""


class LLMDecomposer:
    """Claims from an LLM, with the offline extractor as the fall-back."""

    name = "llm"

    def __init__(self, url: str, model: str, api_key: str | None = None, cache_dir: Path | None = None,
                 timeout: float = 60.0, retries: int = 2, backoff: float = 1.0, fallback=None):
        self.endpoint = Endpoint(url.rstrip("/") + "/chat/completions", api_key, timeout, retries, backoff)
        self.model = model
        self.fallback = fallback or ClaimExtractor()
        self._cache = _Cache(cache_dir / "llm_claims.sqlite") if cache_dir else None

    def extract(self, article: Article) -> list[Claim]:
        spans = sentence_spans(article.text, article.body_start)
        if not spans:
            return []
        sentences = [article.text[s:e] for s, e in spans]
        numbered = "\n".join(f"{n}. {s}" for n, s in enumerate(sentences, start=1))
        key = hashlib.sha256(json.dumps([self.model, PROMPT, numbered]).encode()).hexdigest()
        items = self._cache.get(key) if self._cache else None
        if items is None:
            try:
                items = self._ask(numbered, len(sentences))
            except ClaimcheckError as exc:
                message = f"LLM splitter: {exc.message}; {article.id} split offline instead"
                warnings.warn(message, SplitterFallback, stacklevel=2)
                log.warning(message)
                return self.fallback.extract(article)
            if self._cache:
                self._cache.put(key, items)
        return self._claims(article, spans, items)

    def extract_many(self, articles) -> list[list[Claim]]:
        """One list of claims per article (the same call as ClaimExtractor's batched one)."""
        return [self.extract(article) for article in articles]

    def _ask(self, numbered: str, count: int) -> list[dict]:
        payload = {"model": self.model, "temperature": 0,
                   "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": numbered}]}
        raw = self.endpoint.post(payload, self._error)
        try:
            content = json.loads(raw)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise self._error(f"the answer is not a chat completion ({type(exc).__name__})") from None
        return validate(content, count, self._error)

    def _claims(self, article: Article, spans, items: list[dict]) -> list[Claim]:
        claims = []
        for item in items:
            index = item["sentence"] - 1
            start, end = spans[index]
            sentence = article.text[start:end]
            found = sentence.find(item.get("source") or "\0")
            span = (start + found, start + found + len(item["source"])) if found >= 0 else (start, end)
            analysed = claim_from_text(item["text"])
            claims.append(Claim(
                id=f"{article.id}:c{len(claims) + 1:03d}", article_id=article.id, text=item["text"], spans=(span,),
                sentence=index, proposition=analysed.proposition, stance=analysed.stance, speaker=analysed.speaker,
                negated=analysed.negated, quantities=analysed.quantities,
                dates=find_dates(item["text"], article.published),
            ))
        return claims

    def _error(self, message: str) -> ClaimcheckError:
        # The URL is named, the key never is.
        return ClaimcheckError(Code.LLM, message, self.endpoint.public_url)


def validate(content: object, sentences: int, error) -> list[dict]:
    """The claims of a model answer, or error(...) when it is not the asked-for JSON."""
    if not isinstance(content, str):
        raise error("the answer has no text content")
    text = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", content.strip())  # models like code fences
    try:
        data = json.loads(text)
    except ValueError:
        raise error("the answer is not JSON") from None
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list) or not claims:
        raise error('the answer lacks a non-empty "claims" list')
    items = []
    for item in claims:
        ok = (isinstance(item, dict) and isinstance(item.get("sentence"), int) and not isinstance(item["sentence"], bool)
              and 1 <= item["sentence"] <= sentences and isinstance(item.get("text"), str)
              and 0 < len(item["text"].strip()) <= MAX_CLAIM_CHARS
              and isinstance(item.get("source", ""), str))
        if not ok:
            raise error("a claim in the answer does not match the schema")
        items.append({"sentence": item["sentence"], "text": item["text"].strip(), "source": item.get("source", "")})
    return items


class _Cache:
    """Validated answers by key, in one SQLite file."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, claims TEXT NOT NULL)")

    def get(self, key: str) -> list[dict] | None:
        with sqlite3.connect(self.path) as db:
            row = db.execute("SELECT claims FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, items: list[dict]) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(items)))


def llm_decomposer(cache_dir: Path | None = None) -> LLMDecomposer:
    url, model = os.environ.get("CLAIMCHECK_LLM_URL"), os.environ.get("CLAIMCHECK_LLM_MODEL")
    if not url or not model:
        raise ClaimcheckError(Code.LLM, "set CLAIMCHECK_LLM_URL and CLAIMCHECK_LLM_MODEL to use the LLM splitter")
    return LLMDecomposer(url, model, os.environ.get("CLAIMCHECK_LLM_API_KEY"), cache_dir)


def get_splitter(name: str, cache_dir: Path | None = None):
    """The claim extractor called `name`: "rules" (offline default) or "llm"."""
    if name == "rules":
        return ClaimExtractor()
    if name == "llm":
        return llm_decomposer(cache_dir)
    raise ClaimcheckError(Code.UNKNOWN_NAME, f"unknown splitter {name!r} (choose rules or llm)")
