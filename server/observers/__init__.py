"""Live observers of an interview: the numbered event log a session writes, the feed each observer reads, and
the steering that travels back from an observer to the session, on any node.

- :mod:`~server.observers.journal`: the session's single writer. It numbers every event, stores it, then
  publishes it, in order, off the session's path.
- :mod:`~server.observers.feed`: one observer's view: history from the store, then live events from the bus,
  de-duplicated and gap-filled by number; read from the store while the bus is down.
- :mod:`~server.observers.steering`: observers' actions sent over the bus to whichever node holds the
  candidate's session, and applied there.
- :mod:`~server.observers.wire`: the channels and the messages between nodes.
"""
