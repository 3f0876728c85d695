"""The reports have no model of their own: they read the other apps through their selectors."""
