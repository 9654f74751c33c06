"""The live session's decisions, sans I/O: inputs in, commands out, explicit time, no asyncio, no engines."""
