"""Regelkode: Danish employment and social law as code.

Rule packs (YAML with Danish-prose expressions) are compiled into
standalone Python checks, a JSON Schema for cases and a review site.
See compiler/DESIGN.md for the pipeline.
"""

__version__ = "0.1.0"
