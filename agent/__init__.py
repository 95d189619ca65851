"""Benny the agent: a LangGraph graph over the tool registry, with an offline brain or Claude."""
