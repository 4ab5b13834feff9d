"""Render: the Jinja environment and turning pages into bytes."""
