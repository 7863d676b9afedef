"""Store commands: add, report, query, info, rebuild. Thin wrappers over claimcheck.Store."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from claimcheck.cli.main import (AnyLanguageOption, Format, JudgeOption, MaxFileOption, _consoles, _fail, app, print_result,
                                 write_reports)
from claimcheck.config import Config
from claimcheck.errors import ClaimcheckError, Code

StoreArgument = Annotated[Path, typer.Argument(help="Store directory (created by the first `add`).")]
StoreEmbedderOption = Annotated[Optional[str], typer.Option(
    "--embedder", help="Embedder for a new store; an existing store keeps the one it was built with.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


class Executor(str, Enum):
    local = "local"
    ray = "ray"


def _run(err: Console, work: Callable[[], object], interrupted: str):
    try:
        return work()
    except ClaimcheckError as exc:
        _fail(err, exc.render())
    except KeyboardInterrupt:
        _fail(err, interrupted, 130)


@app.command()
def add(
    store: StoreArgument,
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders to add.")],
    embedder: StoreEmbedderOption = None,
    judge: JudgeOption = "auto",
    executor: Annotated[Executor, typer.Option(help="Where splitting and embedding run: here, or on Ray workers.")] = Executor.local,
    address: Annotated[Optional[str], typer.Option(help="Ray cluster address (default: a local Ray instance).")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another add writing to the same store.")] = 600,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction: an interrupted add keeps every finished batch.")] = 200,
    strict: Annotated[bool, typer.Option("--strict", help="Treat input warnings as errors.")] = False,
    max_file_mb: MaxFileOption = Config.max_file_mb,
    any_language: AnyLanguageOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
) -> None:
    """Add articles to a store: only new articles are split, embedded, clustered and judged."""
    from claimcheck.cli.progress import rich_progress
    from claimcheck.store import Store

    out, err = _consoles()
    created = not store.exists()
    config = Config(strict=strict, max_file_mb=max_file_mb, check_language=not any_language)

    def work():
        try:
            with Store(store, create=True, embedder=embedder, config=config) as opened:
                return opened.add(paths, judge=judge, executor=executor.value, address=address, wait=wait,
                                  batch_articles=batch_size,
                                  on_wait=lambda message: err.print(message, highlight=False, soft_wrap=True),
                                  progress=rich_progress(err, enabled=not quiet and err.is_terminal))
        except (ClaimcheckError, KeyboardInterrupt):
            if created:  # a failed first add leaves no empty store behind
                shutil.rmtree(store, ignore_errors=True)
            raise

    result = _run(err, work, "interrupted; the store keeps every batch committed before the interrupt, "
                             "and rerunning the same add completes it")
    for warning in result.warnings:
        err.print(f"[yellow]{warning}[/]", highlight=False, soft_wrap=True)
    out.print(f"{store}: {result.summary()}", highlight=False, soft_wrap=True)


@app.command()
def report(
    store: StoreArgument,
    story: Annotated[Optional[str], typer.Option(help="Only this story (ids as in the report, e.g. s3).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only articles published on or after this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Format printed to stdout.")] = Format.terminal,
    output: Annotated[Optional[list[Path]], typer.Option("--output", "-o", help="Write a report file; its format follows the suffix. Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only a one-line summary.")] = False,
) -> None:
    """Write the stored comparison, as `compare` would, for all or part of the store."""
    from claimcheck.store import Store

    out, err = _consoles()

    def work():
        day = _date(since) if since else None
        with Store(store) as opened:
            result = opened.comparison(story=story, since=day)
        write_reports(result, output, quiet, err)
        return result

    result = _run(err, work, "interrupted; no report was written")
    print_result(result, fmt, quiet, out)


@app.command()
def query(
    store: StoreArgument,
    text: Annotated[str, typer.Argument(help="A claim, e.g. \"Iran and Russia signed a gas deal\".")],
    limit: Annotated[int, typer.Option(help="At most this many stored claims.")] = 10,
    judge: JudgeOption = "auto",
    as_json: AsJson = False,
) -> None:
    """Stored claims that agree with, add detail to or contradict a claim, with sources and scores."""
    from rich.table import Table

    from claimcheck.store import Store

    out, err = _consoles()

    def work():
        with Store(store) as opened:
            return opened.query(text, limit=limit, judge=judge)

    found = _run(err, work, "interrupted")
    if as_json:
        sys.stdout.write(json.dumps(found.to_dicts(), ensure_ascii=False, indent=2) + "\n")
        return
    if found.is_empty():
        out.print("no stored claim agrees with, adds detail to or contradicts it", highlight=False)
        return
    table = Table()
    for column in ("relation", "score", "source", "published", "text"):
        table.add_column(column, overflow="fold")
    for row in found.iter_rows(named=True):
        table.add_row(row["relation"], f"{row['score']:.2f}", row["source"], row["published"] or "", row["text"])
    out.print(table)


@app.command()
def info(
    store: StoreArgument,
    as_json: AsJson = False,
    recall: Annotated[bool, typer.Option(help="Measure the index's recall against exact search (slow on big stores).")] = True,
) -> None:
    """What a store holds, which index it uses and how close that index is to exact search."""
    from claimcheck.store import Store

    out, err = _consoles()

    def work():
        with Store(store) as opened:
            return opened.info(recall=recall)

    facts = _run(err, work, "interrupted")
    if as_json:
        sys.stdout.write(json.dumps(facts, indent=2) + "\n")
        return
    for key, value in facts.items():
        out.print(f"{key:20} {value}", highlight=False)


@app.command()
def rebuild(
    store: StoreArgument,
    embedder: Annotated[str, typer.Option("--embedder", help="Embedder to re-embed every stored article with.")],
    judge: JudgeOption = "auto",
) -> None:
    """Re-embed a store with another embedder: a new store is built beside it, then swapped in."""
    from claimcheck.store import rebuild as run_rebuild

    out, err = _consoles()
    result = _run(err, lambda: run_rebuild(store, embedder, judge=judge), "interrupted; the store is unchanged")
    out.print(f"{store}: rebuilt with {embedder}; {result.summary()}", highlight=False, soft_wrap=True)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ClaimcheckError(Code.UNKNOWN_NAME, f"--since {text!r} is not a date like 2025-11-18") from None
