"""Modal dialogs: the confirmation every action goes through, its progress, and per-id results."""
