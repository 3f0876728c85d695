"""Models arrive with the feature."""
