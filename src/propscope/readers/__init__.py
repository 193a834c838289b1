"""Anything -> Document. ``read_inputs`` is the one entry point the CLI and web use."""

from propscope.readers.base import Problem, ReaderConfig, read_inputs

__all__ = ["Problem", "ReaderConfig", "read_inputs"]
