"""Alembic migrations for Benny's schema. An upgrade never loses data."""
