"""One writer at a time: an advisory lock on a file inside the store.

Readers never take it; SQLite's WAL mode gives them a consistent snapshot while a
writer works, and the index file is only ever replaced whole."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from claimcheck.errors import ClaimcheckError, Code


@contextmanager
def writer_lock(store: Path, wait: float, on_wait: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    path = store / "writer.lock"
    handle = open(path, "a+")
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    raise ClaimcheckError(Code.STORE_LOCKED, f"another add{holder} is writing to this store", str(store)) from None
                if not told:
                    on_wait(f"{store}: another add{holder} is writing; waiting up to {wait:.0f} s")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
