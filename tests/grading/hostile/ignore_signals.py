"""Ignores every signal it can, then loops forever."""
import signal

for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGXCPU", "SIGUSR1", "SIGALRM",
             "SIGPIPE"):
    try:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    except (OSError, ValueError, AttributeError):
        pass


def softmax(z, axis=-1):
    x = 0
    while True:
        x += 1
