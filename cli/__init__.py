"""The `benny` command (its commands are being split into a module per group, from cli/ops.py)."""

from cli.ops import _busy, _progress_bar, app, main, print_dashboard

__all__ = ["_busy", "_progress_bar", "app", "main", "print_dashboard"]
