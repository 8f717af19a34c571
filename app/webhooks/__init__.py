"""Webhooks: when a job that asked for one finishes, its JSON is POSTed to the caller's URL, signed, with retries.

`app.webhooks.verify(secret, job_id, header, body)` is what a receiver runs to check a delivery's signature.
"""

from app.webhooks.signature import signature, verify

__all__ = ["signature", "verify"]
