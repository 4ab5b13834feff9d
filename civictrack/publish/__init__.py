"""Publish: write the site atomically, index it for search, the open data, guard permalinks."""
