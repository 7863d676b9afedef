"""The `claimcheck` command: a thin typer layer over the library.

Library errors (ClaimcheckError) become one-line messages and exit code 1; usage
errors exit 2 (typer); Ctrl-C exits 130 without leaving a partial report behind."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from claimcheck.config import Config
from claimcheck.errors import ClaimcheckError, Code

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Compare news articles claim by claim. Add --debug before a command to see tracebacks.")


@app.callback()
def _options(debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of internal errors.")] = False) -> None:
    """Options for every command; --debug is read by main() itself."""


# Options shared by several commands.
EmbedderOption = Annotated[str, typer.Option("--embedder", help="Embedder name (see `claimcheck models`) or a sentence-transformers folder.")]
JudgeOption = Annotated[str, typer.Option("--judge", help="Relation judge: auto, nli, embedding-head or similarity.")]
MaxFileOption = Annotated[float, typer.Option("--max-file-mb", help="Refuse input files larger than this many MB.")]
AnyLanguageOption = Annotated[bool, typer.Option("--any-language", help="Compare text even when it does not look like English.")]


class Format(str, Enum):
    terminal = "terminal"
    md = "md"
    html = "html"
    json = "json"


def _consoles() -> tuple[Console, Console]:
    no_color = "NO_COLOR" in os.environ
    return Console(no_color=no_color, highlight=False), Console(stderr=True, no_color=no_color, highlight=False)


def _fail(err: Console, message: str, code: int = 1) -> None:
    err.print(f"[red]{message}[/]", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def compare(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt .md .html .jsonl) or folders of them.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Format printed to stdout.")] = Format.terminal,
    output: Annotated[Optional[list[Path]], typer.Option("--output", "-o", help="Write a report file; its format follows the suffix (.html .md .json). Repeatable.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only a one-line summary.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat input warnings as errors.")] = False,
    judge: JudgeOption = "auto",
    embedder: EmbedderOption = "minilm",
    max_file_mb: MaxFileOption = Config.max_file_mb,
    any_language: AnyLanguageOption = False,
    splitter: Annotated[str, typer.Option("--splitter", help="Claim splitter: rules (offline) or llm (CLAIMCHECK_LLM_URL/_MODEL/_API_KEY).")] = "rules",
) -> None:
    """Compare articles and report where sources agree, add detail or contradict."""
    out, err = _consoles()
    from claimcheck.cli.progress import rich_progress
    from claimcheck.pipeline import compare as run_compare

    try:
        config = Config(embedder=embedder, max_file_mb=max_file_mb, check_language=not any_language, splitter=splitter)
        result = run_compare(paths, strict=strict, judge=judge, embedder=None, config=config,
                             progress=rich_progress(err, enabled=not quiet and err.is_terminal))
        for warning in result.warnings:
            err.print(f"[yellow]{warning}[/]", highlight=False, soft_wrap=True)
        write_reports(result, output, quiet, err)
    except ClaimcheckError as exc:
        _fail(err, exc.render())
    except KeyboardInterrupt:
        _fail(err, "interrupted; no report was written", 130)
    print_result(result, fmt, quiet, out)


def write_reports(result, output: list[Path] | None, quiet: bool, err: Console) -> None:
    for path in output or []:
        result.write(path)
        if not quiet:
            err.print(f"wrote {path}")


def print_result(result, fmt: Format, quiet: bool, out: Console) -> None:
    from claimcheck.report.terminal import print_report, summary_line

    if quiet:
        out.print(summary_line(result), highlight=False, soft_wrap=True)
    elif fmt is Format.terminal:
        print_report(result, out)
    else:
        sys.stdout.write(result.render(fmt.value))


@app.command()
def judge(
    pairs: Annotated[Path, typer.Argument(help='JSONL file of {"a": ..., "b": ...} lines; "-" reads stdin.')],
    judge_name: JudgeOption = "auto",
    embedder: EmbedderOption = "minilm",
) -> None:
    """Judge claim pairs: one JSON verdict per input line, in order."""
    _, err = _consoles()
    try:
        items = _read_pairs(pairs)
        from claimcheck.pipeline import judge_pairs

        verdicts = judge_pairs([a for a, _ in items], [b for _, b in items], judge_name, Config(embedder=embedder))
    except ClaimcheckError as exc:
        _fail(err, exc.render())
    except KeyboardInterrupt:
        _fail(err, "interrupted", 130)
    for v in verdicts:
        sys.stdout.write(json.dumps({"relation": v.verdict, "detail_from": v.detail_from, "score": v.score,
                                     "reason": v.reason}, ensure_ascii=False) + "\n")


eval_app = typer.Typer(no_args_is_help=True, help="Measure claimcheck on the labelled dev sets: relations or claims.")
app.add_typer(eval_app, name="eval")


@eval_app.command("relations")
def evaluate(
    data: Annotated[Path, typer.Option(help="Folder of labelled datasets (see ../shared/data/README.md).")] = Path("../shared/data"),
    limit: Annotated[int, typer.Option(help="Pairs per dev set (0 = all).")] = 1000,
    judge_name: JudgeOption = "auto",
    embedder: EmbedderOption = "minilm",
    out: Annotated[Optional[Path], typer.Option(help="Write the results as JSON here.")] = None,
) -> None:
    """Measure the relation judge on the labelled dev sets and print a table."""
    console, err = _consoles()
    from claimcheck.evaluation import evaluate as run_eval
    from claimcheck.evaluation import table
    from claimcheck.pipeline import judge_pairs
    from claimcheck.relate import get_judge

    if not data.is_dir():
        _fail(err, ClaimcheckError(Code.MISSING_PATH, "no dataset folder here; nothing to evaluate", str(data)).render())
    from claimcheck.embed import get_embedder

    try:
        judge = get_judge(judge_name)
        config = Config(embedder=embedder)
        model = get_embedder(config.embedder, config.batch_size, config.cache_dir)
    except ClaimcheckError as exc:
        _fail(err, exc.render())
    results = run_eval(lambda a, b: judge_pairs(a, b, judge, config, model), data, limit or None, log=lambda m: err.print(m, highlight=False))
    results["judge"] = judge.name
    console.print(f"judge: {judge.name}", highlight=False)
    console.print(table(results), highlight=False, soft_wrap=True)
    if out:
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


@eval_app.command("claims")
def evaluate_claims(
    data: Annotated[Path, typer.Option(help="Folder of labelled datasets (see ../shared/data/README.md).")] = Path("../shared/data"),
    limit: Annotated[int, typer.Option(help="Texts per gold set (0 = all).")] = 0,
    out: Annotated[Optional[Path], typer.Option(help="Write the results as JSON here.")] = None,
) -> None:
    """Score claim extraction against human atomic units (RoSE, PropSegmEnt), next to one claim per sentence."""
    console, err = _consoles()
    from claimcheck.evaluation.claims import SentenceBaseline, claims_table
    from claimcheck.evaluation.claims import evaluate_claims as run_eval
    from claimcheck.split import ClaimExtractor

    if not data.is_dir():
        _fail(err, ClaimcheckError(Code.MISSING_PATH, "no dataset folder here; nothing to evaluate", str(data)).render())
    extractors = {"claimcheck": ClaimExtractor(), "regex rules only (no parser)": ClaimExtractor(parser=False),
                  "one claim per sentence": SentenceBaseline()}
    results = run_eval(extractors, data, limit or None, log=lambda m: err.print(m, highlight=False))
    console.print(claims_table(results), highlight=False, soft_wrap=True)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


@app.command()
def models(as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False) -> None:
    """List the embedders and relation judges this installation has."""
    from rich.table import Table

    from claimcheck.models import installed_models

    console, _ = _consoles()
    rows = installed_models()
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table(show_lines=False)
    for column in ("name", "role", "status", "dim", "size_mb", "licence"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in ("name", "role", "status", "dim", "size_mb", "licence")))
    console.print(table)


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if name == "<stdin>" else path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ClaimcheckError(Code.MISSING_PATH, "does not exist", name) from exc
    except UnicodeDecodeError as exc:
        raise ClaimcheckError(Code.NOT_UTF8, "is not UTF-8", name) from exc
    except OSError as exc:
        raise ClaimcheckError(Code.UNREADABLE, f"cannot be read: {exc.strerror}", name) from exc
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ClaimcheckError(Code.BAD_PAIRS, f"line {number} is not JSON ({exc.msg})", name) from exc
        if not (isinstance(record, dict) and isinstance(record.get("a"), str) and isinstance(record.get("b"), str)
                and record["a"].strip() and record["b"].strip()):
            raise ClaimcheckError(Code.BAD_PAIRS, f"line {number} lacks non-empty strings a and b", name)
        items.append((record["a"], record["b"]))
    return items


from claimcheck.cli import store_commands  # noqa: E402,F401  (registers add, report, query, info, rebuild)


def main() -> None:
    """Entry point: internal errors become one line (exit 3) unless --debug is given."""
    try:
        app()
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted", highlight=False)
        raise SystemExit(130) from None
    except Exception as exc:  # a bug, not a user mistake: say so, briefly
        if "--debug" in sys.argv[1:]:
            raise
        Console(stderr=True).print(
            f"[red]internal error: {type(exc).__name__}: {exc}[/] (rerun with --debug for the traceback, "
            "and please report it)", highlight=False, soft_wrap=True)
        raise SystemExit(3) from None
