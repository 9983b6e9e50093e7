"""modl-tutor: a terminal tutor and autograder for the Mathematics of Deep Learning."""

__version__ = "0.1.0"
