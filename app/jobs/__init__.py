"""The durable job system: planning a request into a job (`plan_generation`, `plan_retopo`), the queue the
services use (`queue`), the in-service worker loop (`runner`), engine execution in the process pool (`execute`)
and provider jobs driven as asyncio tasks (`remote`). Job records live in `app.store.jobs`."""
