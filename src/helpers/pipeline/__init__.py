"""What `make report` runs around the notebooks: parameter check, input check, notebook runner.

May import: every package except helpers.fetch."""
