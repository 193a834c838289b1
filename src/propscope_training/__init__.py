"""Training code (the training extra). Imports propscope; propscope never imports this at run time."""
