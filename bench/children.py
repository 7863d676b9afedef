"""Run one measurement in a child process, so that its peak memory is its own; and measure
that process's peak memory together with its own child processes'."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from pathlib import Path


def run_child(script: str, *args: str, label: str) -> dict | None:
    """The JSON the child printed last, or None (after printing its stderr tail) if it failed."""
    done = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
    if done.returncode:
        print(f"{label}: failed\n{done.stderr[-3000:]}")
        return None
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(row), flush=True)
    return row


class PeakMemory:
    """Peak resident memory of this process plus its child processes (the store's split
    workers), read from /proc while the block runs.

    Not getrusage: on Linux a child started by fork or vfork keeps the parent's high-water
    mark when it execs, so RUSAGE_CHILDREN counted the adding process's own memory again for
    each split worker (a 1.41 GB "worker peak" for workers whose own peak was 0.59 GB).
    Children are summed over those alive at each sample, at their own peaks, so short
    spikes between samples are still counted; the sum is an upper bound because their peaks
    need not coincide."""

    def __init__(self, interval: float = 0.5):
        self.interval = interval
        self.children_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while True:
            alive = [_high_water_mb(pid) for pid in _children(os.getpid())]
            self.children_mb = max(self.children_mb, sum(alive))
            if self._stop.wait(self.interval):
                return

    @property
    def self_mb(self) -> float:
        return _high_water_mb("self") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    @property
    def total_mb(self) -> int:
        return round(self.self_mb + self.children_mb)


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # it ended while we looked
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _high_water_mb(pid: int | str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
