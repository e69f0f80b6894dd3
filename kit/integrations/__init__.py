"""Adapters for other tools (LangChain, notebooks), imported only when asked for."""
