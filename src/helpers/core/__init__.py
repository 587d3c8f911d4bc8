"""Shared basics: project paths, one-line input errors, YAML reading, number/period formatting.

May import: nothing from helpers."""
