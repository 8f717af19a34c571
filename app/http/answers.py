"""How routes answer with a view: JSON of a pydantic model, the free lane's submit answer, and the paid lane's
(a 402 challenge, or what the gateway said)."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from app.http.links import Links
from app.http.views import job_view, paid_view, submit_view
from app.paid.lane import Sale
from app.schemas import CreditSubmitResponse
from app.services.credits import CreditLaunch
from app.services.launch import Launched


def json_answer(model: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status)


def launched_answer(links: Links, launched: Launched) -> JSONResponse:
    """200 with the links when the job is done in time, 202 while it runs, or its view (saying why) when it failed
    at once."""
    if launched.failed is not None:
        return json_answer(job_view(links, launched.failed))
    answer = submit_view(links, launched.row)
    return json_answer(answer, 200 if answer.status == "done" else 202)


def credit_answer(links: Links, launched: CreditLaunch) -> JSONResponse:
    """A credit-paid submit: like the free lane's, with credits_used and credits_remaining; a job that failed at
    once is shown with its refund (it spent nothing)."""
    if launched.failed is not None:
        return json_answer(job_view(links, launched.failed, launched.remaining))
    answer = submit_view(links, launched.row)
    paid = CreditSubmitResponse(**answer.model_dump(), credits_used=launched.used, credits_remaining=launched.remaining)
    return json_answer(paid, 200 if paid.status == "done" else 202)


class _Encoded(Response):
    """A response whose head is already encoded (Starlette's `Response` encodes every header on every request)."""

    def __init__(self, status_code: int, raw_headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status_code = status_code
        self.raw_headers = list(raw_headers)  # its own list: a middleware may add to it in place
        self.body = body
        self.background = None


_CHALLENGE_HEADS: dict[tuple[int, tuple[tuple[str, str], ...], bytes], list[tuple[bytes, bytes]]] = {}
_CHALLENGE_HEADS_LIMIT = 256  # distinct challenges (tiers × origins × error texts); past it the cache starts afresh


def challenge_answer(challenge: tuple[int, dict[str, str], bytes]) -> Response:
    """A 402 from its encoded parts. The JSON body is encoded once per offer, and its head (the ~5 KB
    PAYMENT-REQUIRED header among it) once per challenge: the answer every agent and indexer meets first costs no
    encoding at all. (The key hashes cheaply: strings and bytes keep their hash.)"""
    status, headers, body = challenge
    key = (status, tuple(headers.items()), body)
    head = _CHALLENGE_HEADS.get(key)
    if head is None:
        if len(_CHALLENGE_HEADS) >= _CHALLENGE_HEADS_LIMIT:
            _CHALLENGE_HEADS.clear()
        head = _CHALLENGE_HEADS[key] = Response(body, status, headers, "application/json").raw_headers
    return _Encoded(status, head, body)


def gateway_answer(links: Links, sale: Sale) -> JSONResponse:
    """A paid request's answer: the gateway's own (a challenge, a refusal, a conflict), or the job it bought."""
    outcome = sale.outcome
    if outcome.job_id is None:
        return JSONResponse(outcome.body or {}, status_code=outcome.status_code, headers=outcome.headers)
    body = paid_view(links, outcome.job_id, sale).model_dump(mode="json")
    return JSONResponse(body, status_code=outcome.status_code, headers=outcome.headers)
