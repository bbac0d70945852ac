"""The Python backend: IR → one standalone, stdlib-only module per pack."""

from .emit import BACKEND

__all__ = ["BACKEND"]
