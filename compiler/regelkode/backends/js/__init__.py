"""The JavaScript backend: IR → one dependency-free ES module per pack (`<pack>.mjs`)
with TypeScript declarations (`<pack>.d.ts`); judged through Node in the harness."""

from .backend import BACKEND

__all__ = ["BACKEND"]
