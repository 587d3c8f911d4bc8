"""Shared basics: project paths, one-line input errors, YAML reading, number/period formatting, and the
"go" handshake of stages the build starts early, and file checksums with the build's record of them.

May import: nothing from helpers."""
