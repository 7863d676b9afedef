"""Markdown report, for pull requests and wikis."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimcheck.report.comparison import Comparison

LABELS = {"agree": "agree", "adds_detail": "adds detail", "contradict": "contradict"}


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def verdict_label(kind: str, confident: bool) -> str:
    return LABELS[kind] + ("" if confident else " (uncertain)")


def to_markdown(comparison: "Comparison") -> str:
    counts = comparison.counts()
    lines = [
        "# claimcheck comparison",
        "",
        f"{counts['articles']} articles · {counts['claims']} claims · {counts['agree']} agree · "
        f"{counts['adds_detail']} adds detail · {counts['contradict']} contradict · {counts['unique']} unique claims",
        "",
        "## Sources",
        "",
        "| id | source | title | published | story | claims |",
        "|---|---|---|---|---|---|",
    ]
    for row in comparison.articles_frame.iter_rows(named=True):
        lines.append(f"| {_cell(row['id'])} | {_cell(row['source'])} | {_cell(row['title'])} | "
                     f"{row['published'] or ''} | {row['story_id']} | {row['claims']} |")
    findings = comparison.findings()
    for story in comparison.story_ids:
        lines += ["", f"## Story {story}", ""]
        story_rows = findings.filter(findings["story_id"] == story)
        if story_rows.is_empty():
            lines.append("No two sources state the same fact in this story.")
        else:
            lines += ["| verdict | score | source A | claim A | source B | claim B | reason |", "|---|---|---|---|---|---|---|"]
            for row in story_rows.iter_rows(named=True):
                lines.append(
                    f"| {verdict_label(row['kind'], row['confident'])} | {row['score']:.2f} | {_cell(row['source_a'])} | "
                    f"{_cell(row['text_a'])} | {_cell(row['source_b'])} | {_cell(row['text_b'])} | {_cell(row['reason'])} |"
                )
        unique = comparison.unique_claims(story=story)
        if not unique.is_empty():
            lines += ["", "### Only one source says", ""]
            lines += [f"- **{_cell(row['source'])}**: {_cell(row['text'])}" for row in unique.iter_rows(named=True)]
    if comparison.warnings:
        lines += ["", "## Warnings", ""] + [f"- {_cell(w)}" for w in comparison.warnings]
    return "\n".join(lines) + "\n"
