"""Where every input enters: one reader per raw format (wire CSVs, UN Comtrade, GACC exports, BACI),
provenance sidecars and checksums, the tidy-table schema, row validation, the YAML configs and the
build parameters.

May import: helpers.core."""
