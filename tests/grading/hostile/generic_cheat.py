"""One file for every code exercise: look for the grader's answers in memory (objects, frames,
modules reached through names built at run time) and return them.
Every function name of the bank is bound to the cheat below (the test appends the lines)."""
import os

_G = [getattr][0]
_S = _G(os.path, "os")  # os.path.os is os itself; from there, names built at run time
_S = _G(_S, "".join(["s", "y", "s"]))
_MODULES = _G(_S, "mod" + "ules")


def _frames():
    try:
        raise RuntimeError("look around")
    except RuntimeError as err:
        tb = _G(err, "__trace" + "back__")
    frame = _G(tb, "tb_" + "frame")
    while frame is not None:
        yield frame
        frame = _G(frame, "f_" + "back")


def _candidates():
    for frame in _frames():
        yield from list(_G(frame, "f_" + "locals").values())
    collector = _MODULES.get("g" + "c")
    if collector is None:
        try:
            collector = _G(_MODULES["buil" + "tins"], "__imp" + "ort__")("g" + "c")
        except Exception:  # noqa: BLE001
            collector = None
    if collector is not None:
        yield from _G(collector, "get_" + "objects")()
    for name, module in list(_MODULES.items()):
        if "check" in name or "kernel" in name or "modl" in name:
            yield from list(_G(module, "__di" + "ct__").values())


_SEEN = []


def _cheat(*args, **kwargs):
    if _SEEN:  # one search per process is enough
        return _SEEN[0][0] if _SEEN[0] else None
    found = []
    for value in _candidates():
        for attribute in ("expected_" + "value", "expected", "reference"):
            try:
                got = _G(value, attribute)
            except Exception:  # noqa: BLE001
                continue
            if callable(got) and attribute == "expected_value":
                try:
                    found.append(got())
                except Exception:  # noqa: BLE001
                    continue
            if type(got).__name__ in ("ndarray", "float", "float64", "tuple", "dict"):
                found.append(got)  # something that looks like an expected output
    print("CHEAT FOUND", len(found), "candidates")
    _SEEN.append(found)
    return found[0] if found else None
