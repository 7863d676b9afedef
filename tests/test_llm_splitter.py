"""The LLM claim splitter against a fake OpenAI-compatible chat endpoint on 127.0.0.1."""

import json
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claimcheck.errors import ClaimcheckError
from claimcheck.split.llm import LLMDecomposer, get_splitter
from claimcheck.types import Article

ARTICLE = Article(id="a", text="Aref met Mishustin on Monday and praised Moscow. Talks went well.", source="s")
GOOD = {"claims": [{"sentence": 1, "text": "Aref met Mishustin on Monday.", "source": "Aref met Mishustin on Monday"},
                   {"sentence": 1, "text": "Aref praised Moscow.", "source": "praised Moscow"},
                   {"sentence": 2, "text": "Talks went well.", "source": "Talks went well"}]}


class FakeChat(BaseHTTPRequestHandler):
    script: list = []  # one action per request, then good answers
    seen: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeChat.seen.append({"auth": self.headers.get("Authorization"), "body": body})
        action = FakeChat.script.pop(0) if FakeChat.script else "ok"
        if action == 500:
            self.send_response(500)
            self.end_headers()
            return
        if action == "slow":
            time.sleep(1.5)
        content = {"ok": "```json\n" + json.dumps(GOOD) + "\n```", "slow": json.dumps(GOOD), "not-json": "Sure! Here are the claims:",
                   "bad-schema": json.dumps({"claims": [{"sentence": 9, "text": "x"}]})}[action]
        self.send_response(200)
        self.end_headers()
        try:
            self.wfile.write(json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode())
        except BrokenPipeError:  # the client gave up on a slow reply, as it should
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeChat)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeChat.script, FakeChat.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _splitter(url, tmp_path, **options):
    return LLMDecomposer(url, "fake", api_key="sk-secret", cache_dir=tmp_path, backoff=0, **options)


def test_good_answer_becomes_claims_with_spans_and_is_cached(endpoint, tmp_path):
    claims = _splitter(endpoint, tmp_path).extract(ARTICLE)
    assert [c.text for c in claims] == [item["text"] for item in GOOD["claims"]]
    s, e = claims[1].spans[0]
    assert ARTICLE.text[s:e] == "praised Moscow" and claims[2].sentence == 1
    assert FakeChat.seen[0]["auth"] == "Bearer sk-secret" and FakeChat.seen[0]["body"]["model"] == "fake"
    again = _splitter(endpoint, tmp_path).extract(ARTICLE)  # a new object, the same cache file
    assert [c.text for c in again] == [c.text for c in claims] and len(FakeChat.seen) == 1


def test_server_errors_are_retried(endpoint, tmp_path):
    FakeChat.script = [500, 500]
    claims = _splitter(endpoint, tmp_path, retries=2).extract(ARTICLE)
    assert len(claims) == 3 and len(FakeChat.seen) == 3


@pytest.mark.parametrize("script", [["not-json"], ["bad-schema"], [500, 500], ["slow"]])
def test_failures_fall_back_to_the_offline_splitter_without_the_key(endpoint, tmp_path, script):
    FakeChat.script = list(script)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        claims = _splitter(endpoint, tmp_path, retries=1 if script == [500, 500] else 0, timeout=0.5).extract(ARTICLE)
    assert claims and all(c.id.startswith("a:") for c in claims)
    assert claims[0].text.startswith("Aref met Mishustin")  # the offline splitter's own claims
    messages = " ".join(str(w.message) for w in caught)
    assert "split offline" in messages and "sk-secret" not in messages
    # a fall-back is not cached: the next run asks again
    FakeChat.script = []
    assert len(_splitter(endpoint, tmp_path).extract(ARTICLE)) == 3


def test_unconfigured_or_unknown_splitter_is_a_clean_error(monkeypatch):
    monkeypatch.delenv("CLAIMCHECK_LLM_URL", raising=False)
    with pytest.raises(ClaimcheckError, match="E304"):
        get_splitter("llm")
    with pytest.raises(ClaimcheckError, match="unknown splitter"):
        get_splitter("magic")


def test_compare_reports_the_fall_back_as_a_warning(endpoint, monkeypatch, cache_dir):
    import claimcheck

    monkeypatch.setenv("CLAIMCHECK_LLM_URL", endpoint)
    monkeypatch.setenv("CLAIMCHECK_LLM_MODEL", "fake")
    monkeypatch.setenv("CLAIMCHECK_LLM_API_KEY", "sk-secret")
    FakeChat.script = ["not-json"]
    other = Article(id="b", text="Aref met Mishustin on Monday. Talks went well.", source="t")
    result = claimcheck.compare([ARTICLE, other], splitter="llm")
    assert any("split offline" in w for w in result.warnings) and not any("sk-secret" in w for w in result.warnings)
    assert {c.article_id for c in result.claims} == {"a", "b"}
