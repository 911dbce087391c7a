"""Importers for published event datasets (GDELT 2.0, ICEWS)."""
