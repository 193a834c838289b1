"""SemEval submission files: one module per format, each with main(argv)."""
