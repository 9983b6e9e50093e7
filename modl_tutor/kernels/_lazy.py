"""Lazy stand-ins for torch and its submodules: the real module is imported on first use."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """`LazyModule("torch")` behaves as the torch module once an attribute is read: importing
    a kernels module (or a checks.py) costs nothing until a reference is really computed."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", None)

    def _load(self) -> ModuleType:
        module = self._module
        if module is None:
            module = importlib.import_module(self._name)
            object.__setattr__(self, "_module", module)
        return module

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._load(), attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError(f"{self._name} (lazy) is read-only")

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r} ({state})>"


torch: Any = LazyModule("torch")
F: Any = LazyModule("torch.nn.functional")
distributions: Any = LazyModule("torch.distributions")
