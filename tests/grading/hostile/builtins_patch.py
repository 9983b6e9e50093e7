"""Tries to patch builtins through __builtins__: statically refused."""
__builtins__["isinstance"] = lambda *args: True


def softmax(z, axis=-1):
    return z
