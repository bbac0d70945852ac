"""The JSON Schema of a case (`sag.schema.json`), generated from the pack's facts."""

from .emit import BACKEND

__all__ = ["BACKEND"]
