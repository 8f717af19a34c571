"""The HTTP edge: routes (one module per resource: parse, call one service, answer), the views and links they
answer with, body parsing, the client's address, rate limits, and the one mapping from errors to HTTP answers."""
