"""cli: the `claimcheck` command."""

from claimcheck.cli.main import app, main

__all__ = ["app", "main"]
