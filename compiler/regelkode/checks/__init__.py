"""What CI runs over compiled packs: examples, coverage, decision-table
analysis, the semantic diff and review fingerprints. A check takes a compiled
pack; `analysis.compile_checked` is compile plus the static analysis.
"""
