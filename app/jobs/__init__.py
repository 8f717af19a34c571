"""The durable job system: queue and records (`store`), engine execution (`execute`), the in-service
worker loop (`runner`)."""
