"""Alembic migrations for the chat history's schema (Chainlit's tables), a chain apart from Benny's."""
