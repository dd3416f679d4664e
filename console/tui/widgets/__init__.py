"""Widgets the screens are built from: the virtual table, filter bar, facets, step tree, timeline,
JSON viewer and editor."""
