"""Benchmarks: generated checks against a hand-written baseline, batch, compile and site speed.

Run from the repository root with `make bench` or `python -m bench`; see run.py.
"""
