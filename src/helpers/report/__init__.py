"""Everything a reader receives: figures as notebook outputs (+ spec and CSV files), the offline
HTML page, static PNG/SVG, the PDF (printed through Playwright), atomic publishing into reports/.

May import: helpers.core, helpers.sources."""
