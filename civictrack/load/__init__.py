"""Load: read the data files (strict YAML with positions) and report texts into typed models."""
