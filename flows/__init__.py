"""Prefect flows and the `parallax` command line: thin wrappers that compose the engine in comparators/."""
