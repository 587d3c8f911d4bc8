"""The story's claims checked against the data: one verdict vocabulary and row builder
(verdicts), customs claims, context claims, and the whole claim table.

May import: helpers.core, helpers.model."""
