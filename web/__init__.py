"""The web faces: the Chainlit chat (its handlers, logins, history and stored charts, the routes it
serves besides the chat), the REST API and MCP server generated from the tool registry, and
Prometheus metrics."""
