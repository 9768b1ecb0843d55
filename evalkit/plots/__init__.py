"""Figures for reports: each function returns a matplotlib Figure and does no I/O."""
