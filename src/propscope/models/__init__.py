"""Model cards, ONNX sessions, tokenize, run, decode to char spans."""
