"""Everything a reader receives: figures as notebook outputs (+ spec and CSV files), the offline
HTML page, static PNG/SVG, the PDF, atomic publishing into reports/, and the browser check.

May import: helpers.core, helpers.sources."""
