"""Starts detached `sleep`s that would outlive the grader if nothing killed them."""
import os

MARKER = "4242.__TOKEN__"


def _spawn():
    pid = os.fork()
    if pid == 0:
        os.setsid()
        grandchild = os.fork()
        if grandchild == 0:
            os.execv("/bin/sleep", ["sleep", MARKER])
        print("sleeper", grandchild, flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
    os.system(f"sleep {MARKER} &")
    print("spawned", flush=True)


_spawn()


def softmax(z, axis=-1):
    return z * 0
