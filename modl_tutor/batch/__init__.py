"""Batch grading of many submissions."""
