"""Importers for the four kinds of data, the data-quality report, splits and the cache."""
