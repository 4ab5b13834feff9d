"""Preview: the live-reloading server and its incremental rebuilds."""
