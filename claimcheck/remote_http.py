"""POST JSON to an OpenAI-compatible endpoint, with retries; shared by the remote
embedder and the LLM claim decomposer.

Retries 429, 5xx and timeouts with exponential backoff (honouring Retry-After). Errors
name the URL, never the API key: the key lives only in the Authorization header."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse, urlunparse

RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504}


def post_json(
    url: str,
    payload: dict,
    api_key: str | None,
    timeout: float,
    retries: int,
    backoff: float,
    error: Callable[[str], Exception],
) -> bytes:
    """The raw body of the first successful answer; `error(message)` is raised otherwise."""
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRYABLE or attempt == retries:
                raise error(f"the endpoint answered HTTP {exc.code}") from None
            wait = float(exc.headers.get("Retry-After") or wait)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            if attempt == retries:
                raise error(f"the endpoint did not answer ({getattr(exc, 'reason', exc)})") from None
        time.sleep(min(wait, 60.0))
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Endpoint:
    """Where to POST and how hard to try; `public_url` is what errors and ids may show."""

    url: str
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    retries: int = 2
    backoff: float = 1.0

    @property
    def public_url(self) -> str:
        """The URL without user:password@ and without its query string: a key may hide there."""
        parts = urlparse(self.url)
        host = parts.hostname or ""
        try:
            host += f":{parts.port}" if parts.port else ""
        except ValueError:  # a malformed port is left out rather than shown raw
            pass
        return urlunparse((parts.scheme, host, parts.path, "", "", ""))

    def post(self, payload: dict, error: Callable[[str], Exception]) -> bytes:
        return post_json(self.url, payload, self.api_key, self.timeout, self.retries, self.backoff, error)
