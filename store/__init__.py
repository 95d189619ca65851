"""Benny's store: SQLModel tables, the engine, migrations and keyword-only repository functions."""
