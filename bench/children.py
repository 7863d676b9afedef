"""Run one measurement in a child process, so that its peak memory is its own."""

from __future__ import annotations

import json
import subprocess
import sys


def run_child(script: str, *args: str, label: str) -> dict | None:
    """The JSON the child printed last, or None (after printing its stderr tail) if it failed."""
    done = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
    if done.returncode:
        print(f"{label}: failed\n{done.stderr[-3000:]}")
        return None
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(row), flush=True)
    return row
