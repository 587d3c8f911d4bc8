"""Network access: the UN Comtrade API client (key from the environment, redacted everywhere) and the
`make fetch` command line. Never imported by a build.

May import: helpers.core, helpers.sources."""
