"""Reusable widgets: drop area, class bar chart, report list, previews, live curves."""
