"""Prints far more than anyone should read, then returns garbage."""
import os


def softmax(z, axis=-1):
    line = "spam " * 40 + "\n"
    for _ in range(20000):
        print(line, end="")
    os.write(1, b"raw " * 100000)
    return z + 1
