"""Presentation: tool results turned into Markdown tables, chart data and figures for every face."""
