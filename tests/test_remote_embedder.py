"""The remote embedder against a fake OpenAI-compatible server on 127.0.0.1."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from claimcheck.embed.remote import RemoteEmbedder
from claimcheck.errors import ClaimcheckError


class FakeEndpoint(BaseHTTPRequestHandler):
    script: list = []  # what to answer, one entry per request; then good answers
    seen: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeEndpoint.seen.append({"auth": self.headers.get("Authorization"), "body": body})
        action = FakeEndpoint.script.pop(0) if FakeEndpoint.script else "ok"
        if action in (429, 500):
            self.send_response(action)
            if action == 429:
                self.send_header("Retry-After", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.end_headers()
        if action == "junk":
            self.wfile.write(b"{not json")
            return
        data = [{"index": i, "embedding": [float(len(t)), 1.0, 0.0]} for i, t in reversed(list(enumerate(body["input"])))]
        self.wfile.write(json.dumps({"data": data}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeEndpoint.script, FakeEndpoint.seen = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_batches_in_order_with_key(endpoint):
    embedder = RemoteEmbedder(endpoint, "fake", api_key="sk-secret", batch_size=2, backoff=0)
    vectors = embedder.encode(["a", "bbb", "cc"])
    assert vectors.shape == (3, 3) and embedder.dim == 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1)
    assert vectors[1][0] > vectors[2][0] > vectors[0][0]  # rows follow the input order
    assert len(FakeEndpoint.seen) == 2 and FakeEndpoint.seen[0]["auth"] == "Bearer sk-secret"


def test_retries_rate_limits_and_server_errors(endpoint):
    FakeEndpoint.script = [429, 500]
    vectors = RemoteEmbedder(endpoint, "fake", backoff=0).encode(["x"])
    assert vectors.shape == (1, 3) and len(FakeEndpoint.seen) == 3


def test_junk_and_exhausted_retries_are_clean_errors_without_the_key(endpoint):
    FakeEndpoint.script = ["junk"]
    with pytest.raises(ClaimcheckError, match="E303.*not an embeddings response") as caught:
        RemoteEmbedder(endpoint, "fake", api_key="sk-secret", backoff=0).encode(["x"])
    assert "sk-secret" not in str(caught.value)
    FakeEndpoint.script = [500, 500, 500]
    with pytest.raises(ClaimcheckError, match="HTTP 500"):
        RemoteEmbedder(endpoint, "fake", retries=2, backoff=0).encode(["x"])


def test_unreachable_endpoint():
    with pytest.raises(ClaimcheckError, match="did not answer"):
        RemoteEmbedder("http://127.0.0.1:9/v1", "fake", retries=1, backoff=0, timeout=2).encode(["x"])
