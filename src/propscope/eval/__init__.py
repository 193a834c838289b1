"""Metrics and evaluation commands: one module per task, each with main(argv)."""
