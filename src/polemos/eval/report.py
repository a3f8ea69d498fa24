"""Evaluation results for people: Rich tables on the terminal, a Markdown or HTML report file."""

from __future__ import annotations

import html
from pathlib import Path

from rich.console import Console
from rich.table import Table as RichTable

from polemos.eval.base import EvalResult, Table

WORST_ERRORS = 20


def print_result(result: EvalResult, console: Console | None = None) -> None:
    """The headline metrics and each table, compactly."""
    console = console or Console()
    console.rule(f"[bold]{result.dataset}[/bold]  [dim]{result.records} records · {result.path}[/dim]")
    metrics = RichTable("metric", "value", title="Metrics", title_justify="left")
    for name, value in result.metrics.items():
        metrics.add_row(name, _format(value))
    console.print(metrics)
    for table in result.tables:
        rich_table = RichTable(*table.columns, title=table.title, title_justify="left")
        for row in table.rows:
            rich_table.add_row(*(_format(cell) for cell in row))
        console.print(rich_table)
    for note in result.notes:
        console.print(f"[dim]note:[/dim] {note}", highlight=False)


def write_report(result: EvalResult, path: str | Path) -> Path:
    """A Markdown (``.md``) or HTML (``.html``) report: metrics, tables, notes and the worst errors."""
    path = Path(path)
    text = _html(result) if path.suffix.lower() in (".html", ".htm") else _markdown(result)
    path.write_text(text, encoding="utf-8")
    return path


def _format(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.1f}"
    return "" if value is None else str(value)


def _markdown_table(table: Table) -> str:
    lines = [
        f"### {table.title}",
        "",
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(_format(cell).replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def _markdown(result: EvalResult) -> str:
    parts = [
        f"# polemos on {result.dataset}",
        "",
        f"{result.records} records from `{result.path}`.",
        "",
        _markdown_table(Table("Metrics", ["metric", "value"], [[k, v] for k, v in result.metrics.items()])),
    ]
    parts += ["", *(_markdown_table(table) + "\n" for table in result.tables)]
    if result.notes:
        parts += ["## Notes", "", *(f"- {note}" for note in result.notes), ""]
    if result.errors:
        parts += [f"## The {min(WORST_ERRORS, len(result.errors))} worst errors", ""]
        for number, error in enumerate(result.errors[:WORST_ERRORS], start=1):
            parts += [
                f"{number}. **{error.id}** — expected `{error.expected}`, got `{error.got}`"
                + (f" ({error.note})" if error.note else ""),
                "",
                "   > " + error.text.replace("\n", " ").strip(),
                "",
            ]
    return "\n".join(parts)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_format(cell))}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<h3>{html.escape(table.title)}</h3><table><tr>{head}</tr>{body}</table>"


def _html(result: EvalResult) -> str:
    metrics = Table("Metrics", ["metric", "value"], [[k, v] for k, v in result.metrics.items()])
    errors = "".join(
        f"<li><b>{html.escape(e.id)}</b>: expected <code>{html.escape(e.expected)}</code>, got "
        f"<code>{html.escape(e.got)}</code> {html.escape(e.note)}"
        f"<blockquote>{html.escape(e.text)}</blockquote></li>"
        for e in result.errors[:WORST_ERRORS]
    )
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in result.notes)
    return (
        "<!doctype html><meta charset='utf-8'>"
        f"<title>polemos on {html.escape(result.dataset)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px}blockquote{color:#444}</style>"
        f"<h1>polemos on {html.escape(result.dataset)}</h1>"
        f"<p>{result.records} records from <code>{html.escape(result.path)}</code>.</p>"
        + _html_table(metrics)
        + "".join(_html_table(t) for t in result.tables)
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
        + (f"<h2>The worst errors</h2><ol>{errors}</ol>" if errors else "")
    )
