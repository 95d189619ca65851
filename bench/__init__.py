"""Benny's benchmarks: figures measured on demand (`make bench`), never timed inside tests."""
