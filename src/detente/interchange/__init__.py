"""The interchange format: one record per line (JSON Lines), row (CSV) or list item (YAML)."""
