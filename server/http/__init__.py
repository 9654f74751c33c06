"""Everything reached over HTTP: the REST API, the pages' middleware, and the two WebSocket endpoints.

Route functions are thin: they read and validate the request, call a service, and shape the response.
Services never raise HTTP errors; :mod:`server.http.errors` turns their refusals into status codes.
"""
