"""Sends itself SIGSEGV."""
import os
import signal


def softmax(z, axis=-1):
    os.kill(os.getpid(), signal.SIGSEGV)
    return z
