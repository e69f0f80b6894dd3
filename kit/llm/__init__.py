"""Chat backends behind one protocol (OpenAI-compatible servers, GGUF in process, test doubles),
token budgets and prompt files.
"""
