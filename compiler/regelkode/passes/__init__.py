"""Passes over the model: names, citations, types, lowering to the IR.

`pipeline.compile_pack` runs them in order (load → model → citations →
resolve → typecheck → lower) and collects every diagnostic. Knows no target.
"""
