"""propscope: find how news articles persuade."""

__version__ = "0.1.0"
