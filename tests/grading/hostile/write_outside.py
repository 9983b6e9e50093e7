"""Tries to leave files outside its temporary folder."""
import os

TARGETS = ["__OUTSIDE__", os.path.expanduser("~/modl-hostile-__TOKEN__"),
           "/tmp/modl-hostile-__TOKEN__", "/var/tmp/modl-hostile-__TOKEN__",
           "/dev/shm/modl-hostile-__TOKEN__", __file__ + ".__TOKEN__"]


def softmax(z, axis=-1):
    written = []
    for target in TARGETS:
        try:
            with open(target, "w") as handle:
                handle.write("pwned")
            written.append(target)
        except OSError as err:
            print("refused:", target, err)
    print("written:", written)
    return z
