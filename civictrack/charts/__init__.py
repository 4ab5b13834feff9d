"""Charts: what to chart (Altair specs), and rendering them to SVG/PNG with a cache."""
