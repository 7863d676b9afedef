"""Splitting in child processes, ahead of the process that embeds and writes.

The parser runs on one core, and so does much of the writing process's own work
(stories, clustering, commits). Splitting the following batches beside it turns that
idle core into throughput; done in turn, splitting added a quarter to a large add
(bench/bench_store.py).

Each child is a plain `python -m claimcheck.store.split_worker`, not a multiprocessing
process: it re-runs nothing of the caller's script or notebook, inherits no open file
(not the store's writer lock, not its database), and speaks JSON lines, the claims'
stored form. It reads batches from its stdin, so it ends when the parent does, however
the parent ends. If one fails, its batch is split in the parent instead: a lost worker
costs speed, never claims, and a real splitting error surfaces where the add reports it."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimcheck.store.records import article_from_record, article_record, claim_from_record, claim_record
from claimcheck.types import Article, Claim

Batch = tuple[list[Article], list[list[Claim]]]


class SplitWorker:
    """`ClaimExtractor.extract_many` in a child process: `submit` batches, then take each
    `result` in the order submitted."""

    def __init__(self):
        self._pending: deque[list[Article]] = deque()
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "claimcheck.store.split_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env, text=True, encoding="utf-8",
        )
        self._outbox: queue.Queue[str | None] = queue.Queue()
        self._sender = threading.Thread(target=self._send_all, daemon=True)
        self._sender.start()

    def submit(self, articles: list[Article]) -> None:
        self._pending.append(articles)
        self._outbox.put(json.dumps([article_record(a) for a in articles], ensure_ascii=False) + "\n")

    def _send_all(self) -> None:
        # On a thread of its own: a batch is larger than the pipe holds, and a child still
        # starting up reads nothing, which held the adding process up for seconds.
        while (payload := self._outbox.get()) is not None:
            try:
                self._process.stdin.write(payload)
                self._process.stdin.flush()
            except (OSError, ValueError):
                return  # the child is gone; result() splits its batches here

    def result(self) -> Batch:
        """The oldest batch submitted and its claims."""
        articles = self._pending.popleft()
        try:
            reply = json.loads(self._process.stdout.readline() or "{}")
        except (OSError, ValueError):
            reply = {}
        if "claims" not in reply:
            from claimcheck.split import ClaimExtractor

            return articles, ClaimExtractor().extract_many(articles)
        return articles, [[claim_from_record(r) for r in group] for group in reply["claims"]]

    def close(self) -> None:
        self._outbox.put(None)
        self._sender.join(timeout=10)
        if self._sender.is_alive():
            self._process.kill()  # it has read nothing for ten seconds: stuck; the write then fails
            self._sender.join()
        try:
            self._process.stdin.close()  # end of input: the child returns
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process.stdout.close()

    def __enter__(self) -> "SplitWorker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# Batches queued per child, so a child that finished its batch need not sit idle until the
# writer takes it. Measured at 100k claims it changed little: the writer waited 155 s for
# splits instead of 158 s.
BATCHES_PER_WORKER = 2


def default_workers() -> int:
    """Split workers when none are asked for: one per core, at most 4 (each holds a parser)."""
    return min(os.cpu_count() or 1, 4)


def split_ahead(batches: Iterable[list[Article]], workers: int | None = None) -> Iterator[Batch]:
    """(batch, its claims) for each batch, in order; while the caller works on one batch,
    child processes split the following ones, up to BATCHES_PER_WORKER each, in turn. The first batch is
    split here while the children start, and an add of a single batch starts none.

    Workers default to one per core (`default_workers`). On two cores the second one pays: when
    the caller waits for a batch, both cores split instead of one, and at low priority
    the children take little from the caller otherwise (bench/bench_store.py)."""
    from claimcheck.split import ClaimExtractor

    workers = workers or default_workers()
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    queued = list(itertools.islice(batches, workers * BATCHES_PER_WORKER))
    if not queued:
        yield first, ClaimExtractor().extract_many(first)
        return
    with contextlib.ExitStack() as stack:
        pool = [stack.enter_context(SplitWorker()) for _ in queued[:workers]]
        in_order: deque[SplitWorker] = deque()  # the worker holding each batch not yet returned
        for worker, batch in zip(itertools.cycle(pool), queued):
            worker.submit(batch)
            in_order.append(worker)
        yield first, ClaimExtractor().extract_many(first)
        while in_order:
            worker = in_order.popleft()
            done = worker.result()
            following = next(batches, None)
            if following is not None:
                worker.submit(following)
                in_order.append(worker)
            yield done


def serve() -> None:
    """The child: batches of article records in on stdin, their claim records out."""
    from claimcheck.split import ClaimExtractor

    # At idle priority: the child takes only a core the writer leaves idle (while it assigns
    # stories, clusters and commits, or waits for this child). At nice 10 the children
    # still slowed the embedder: a 100k add embedded in 615 s, against 529-553 s at idle.
    _lowest_priority()
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a library's stray print must not corrupt the replies
    extractor = ClaimExtractor()
    # Batches are read as they come, even while one is being split: the parent may send
    # the next batch while this child sends a reply, and neither may wait on the other.
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_all, args=(sys.stdin, lines), daemon=True).start()
    while line := lines.get():
        try:
            claims = extractor.extract_many([article_from_record(r) for r in json.loads(line)])
            reply = {"claims": [[claim_record(c) for c in group] for group in claims]}
        except Exception as exc:  # the parent re-splits the batch and reports the error itself
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        try:
            replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
            replies.flush()
        except OSError:
            return


def _lowest_priority() -> None:
    if hasattr(os, "sched_setscheduler"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
        except OSError:
            pass
    os.nice(19)


def _read_all(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    # End of input: the parent closed it or is gone, so nobody will read another reply. Exit
    # now, even mid-batch: at idle priority a batch can take long to finish on a busy machine.
    os._exit(0)


if __name__ == "__main__":
    serve()
