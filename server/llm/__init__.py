"""Plumbing for language models behind an OpenAI-compatible API: the client, failures, fencing, usage."""
