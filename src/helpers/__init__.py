"""Logic of the China–Russia trade briefing: data loading, validation, series, figures, rendering."""
