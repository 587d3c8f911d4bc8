"""What each notebook section shows — view -> chart -> text — and the tables the sections share
(sections.data) plus the Section object a notebook opens.

May import: helpers.core, helpers.sources, helpers.model, helpers.claims, helpers.report."""
