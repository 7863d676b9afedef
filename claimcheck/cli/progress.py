"""Rich progress bars for the library's progress hook; silent when quiet or not a TTY."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def rich_progress(console: Console, enabled: bool):
    @contextmanager
    def stage(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
        if not enabled or not total:
            yield lambda n: None
            return
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)

    return stage
