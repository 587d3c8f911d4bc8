"""Transformations on tidy tables, pandas only (no charts, no file I/O): source preference,
monthly series, reconciliations, commodity groups, turnover and context views.

May import: helpers.core."""
