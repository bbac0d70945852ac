"""The Python backend: IR → one standalone, stdlib-only module per pack."""

from .backend import BACKEND

__all__ = ["BACKEND"]
