"""Shared pieces of the command modules: error reporting and exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from qualcode.errors import QualcodeError

#: The run finished but some inputs could not be read.
EXIT_PARTIAL = 3
F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn a QualcodeError into a one-line message (plus its details) and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QualcodeError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            for line in exc.details:
                click.echo(f"  {line}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]
