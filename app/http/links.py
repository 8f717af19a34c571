"""The links an answer carries, built from one base URL (the configured public URL, or the origin the client used;
for a webhook, the origin stored with it): absolute, and signed where they grant access to a file."""

from __future__ import annotations

from dataclasses import dataclass

from app.signing import UrlSigner

POLL_PATH = "/api/forge?job={job_id}"


@dataclass(frozen=True, slots=True)
class Links:
    base_url: str
    signer: UrlSigner  # file links

    def absolute(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def file(self, job_id: str, name: str) -> str:
        """A freshly signed, absolute link to one of a job's stored files."""
        return self.absolute(self.signer.sign(f"/files/{job_id}/{name}"))

    def poll(self, job_id: str) -> str:
        return self.absolute(POLL_PATH.format(job_id=job_id))
