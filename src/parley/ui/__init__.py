"""Parley's UI toolkit: page rendering, htmx helpers, widgets, clocks, template tags, the base
templates, the shared static files and the dashboard's panel registry.

A leaf: it imports no Parley app (import-linter enforces it). Apps import it and register their
dashboard panels with `parley.ui.panels`.
"""
