"""Grading: the sandbox, the check toolkit and the one grade() core."""
