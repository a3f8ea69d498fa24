"""What the commands of ``cli.py`` and ``cli_store.py`` share: the error console, progress bars, checks."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

stderr = Console(stderr=True)


def progress_bar(label: str, show: bool | None = None, details: bool = True) -> Progress:
    """A transient bar on stderr: ``label``, the bar, done/total, the task's description (``details``) and
    the time elapsed; shown when ``show`` says so, else when stderr is a terminal."""
    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn()]
    if details:
        columns.append(TextColumn("{task.description}"))
    columns.append(TimeElapsedColumn())
    visible = stderr.is_terminal if show is None else show
    return Progress(*columns, console=stderr, disable=not visible, transient=True)


def require_paths(paths: Sequence[str], hint: str = "PATHS") -> None:
    """A usage error naming the paths that do not exist ("-", standard input, always does)."""
    missing = [path for path in paths if path != "-" and not os.path.exists(path)]
    if missing:
        raise typer.BadParameter(f"no such file or directory: {', '.join(missing)}", param_hint=hint)


def check_date(value: str | None) -> str | None:
    """A ``--date``/``--since``/``--until`` value: an ISO date, or a usage error that says so."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def stdout_console(width: int = 160) -> Console:
    """A console on stdout: the terminal's width, else ``width`` columns (a pipe or a file)."""
    console = Console()
    return console if console.is_terminal else Console(width=width)
