"""Front end: a pack folder → a typed-declaration model with positions.

`load` reads the YAML and keeps every scalar's position, `parse` turns
expression text into the AST (`ast`) with the Lark grammar, `types` parses
type names, `model` builds the pack's declarations and `constants` reads
constant values. Knows no pass and no target.
"""
