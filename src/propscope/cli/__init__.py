"""Command line: thin wrappers over plain functions. Subcommand modules import heavy code lazily."""


class UsageError(Exception):
    """A problem with what the user asked for, shown as one line."""
