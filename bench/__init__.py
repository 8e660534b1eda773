"""Benchmarks (not tests): ``python -m bench`` measures the bot's speed against the emulator.

See ``docs/benchmarks.md``.
"""
