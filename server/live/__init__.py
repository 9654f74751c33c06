"""The live interview over one socket: a pure core (:mod:`server.live.core`) and its asyncio shell
(:mod:`server.live.shell`)."""
