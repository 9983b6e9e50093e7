"""Reference kernels in PyTorch: the oracle the grader compares NumPy submissions against."""
