"""Terminal report with rich: one table of findings per story, verdicts in colour."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from claimcheck.report.markdown import verdict_label

if TYPE_CHECKING:
    from claimcheck.report.comparison import Comparison

STYLES = {"agree": "green", "adds_detail": "cyan", "contradict": "bold red"}


def summary_line(comparison: "Comparison") -> str:
    c = comparison.counts()
    return (f"{c['articles']} articles, {c['claims']} claims, {c['stories']} stories: {c['agree']} agree, "
            f"{c['adds_detail']} adds_detail, {c['contradict']} contradict, {c['unique']} unique")


def print_report(comparison: "Comparison", console: Console, unique_limit: int = 8) -> None:
    findings = comparison.findings()
    console.print(f"[bold]claimcheck[/bold] · {summary_line(comparison)}")
    for story in comparison.story_ids:
        sources = sorted({a.source for a in comparison.articles if comparison.story_of[a.id] == story})
        rows = findings.filter(findings["story_id"] == story)
        table = Table(title=f"Story {story}: {', '.join(sources)}", show_lines=True, expand=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("source A · claim", ratio=3)
        table.add_column("source B · claim", ratio=3)
        table.add_column("reason", ratio=2)
        for row in rows.iter_rows(named=True):
            style = STYLES[row["kind"]] if row["confident"] else "yellow"
            table.add_row(
                f"[{style}]{verdict_label(row['kind'], row['confident'])}[/]\n{row['score']:.2f}",
                f"[bold]{row['source_a']}[/]\n{row['text_a']}",
                f"[bold]{row['source_b']}[/]\n{row['text_b']}",
                row["reason"],
                end_section=False,
            )
        if rows.height:
            console.print(table)
        unique = comparison.unique_claims(story=story)
        if unique.height:
            console.print(f"[bold]Only one source says[/] ({unique.height} claims; all in the JSON/HTML report):")
            for row in unique.head(unique_limit).iter_rows(named=True):
                console.print(f"  • [bold]{row['source']}[/]: {row['text']}", highlight=False)


def render_text(comparison: "Comparison", width: int = 100, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color or "NO_COLOR" in os.environ)
    print_report(comparison, console)
    return buffer.getvalue()
