"""Allocates memory until something gives."""


def softmax(z, axis=-1):
    hog = []
    while True:
        hog.append(b"x" * (64 * 1024 * 1024))
