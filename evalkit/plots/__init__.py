"""Figures for reports, drawn with seaborn in one evalkit theme (``theme.py``): each function
returns a matplotlib Figure, does no I/O and leaves global settings alone. Each also exposes the
frame it draws (``love_frame``, ``overlap_frame``, ``event_time_frame``) so that a report can show
the same numbers as a table."""
