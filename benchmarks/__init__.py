"""Benchmark harness for Kurze Wege (see benchmarks/README.md)."""
