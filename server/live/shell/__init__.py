"""The asyncio shell of a live session: moves inputs into the core and carries its commands out."""
