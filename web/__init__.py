"""The web faces: the REST API and MCP server generated from the tool registry, Prometheus metrics,
and what the Chainlit app serves besides the chat."""
