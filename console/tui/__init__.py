"""The Textual console: the app shell, its screens, widgets and dialogs (the only package that
imports Textual)."""
