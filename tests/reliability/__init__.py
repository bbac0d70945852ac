"""Reliability tests (issue #6): fuzzed front end, differential back ends, hostile input.

A package (not loose files) so that the generators in `packgen.py` and
`mutate.py` can be imported by name without clashing with other test folders.
"""
