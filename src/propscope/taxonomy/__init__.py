"""Label sets with stable ids, display names and definitions."""
