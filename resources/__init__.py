"""Bundled resources: device catalogue, samples, icons (package data; see edgeling.core.resources)."""
