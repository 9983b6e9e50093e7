"""Crashes the interpreter with a segmentation fault (no ctypes needed)."""
import faulthandler


def softmax(z, axis=-1):
    faulthandler._sigsegv()
    return z
