"""The application's services: what routes and sockets call, over the store, the bus and the engines.

They never raise HTTP errors: they return results or raise their own exceptions, which the routes map.
"""
