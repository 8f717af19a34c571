"""x402's MCP transport on forge402's side: the payment is read from the call's `_meta["x402/payment"]`, handed to
the paid lane (the same gateway, ledger and checks as `POST /api/x402/forge`), and a sale that did not pay becomes
the tool result x402 specifies: refused or not settled → the PaymentRequired again with the reason (and the failed
settlement beside it); anything else (a malformed payment, a conflict, too many failures, a busy source) → a tool
error with the HTTP lane's code and message. A paid sale's settlement goes into `_meta["x402/payment-response"]`."""

from __future__ import annotations

from typing import Any

from mcp import types

from app.mcp import results
from app.paid.lane import PaidLane
from payments.codec import decode_json
from payments.gateway import Offer, Outcome

PAYMENT_RESPONSE_HEADERS = ("payment-response", "x-payment-response")
PAYMENT_REQUIRED = "Payment required"


def payment_in(meta: types.RequestParams.Meta | None) -> Any | None:
    """The payment the call carries (`_meta["x402/payment"]`), as sent; None when it carries none."""
    if meta is None:
        return None
    return (meta.model_extra or {}).get(results.PAYMENT_META_KEY)


def challenge(lane: PaidLane, offer: Offer) -> types.CallToolResult:
    """The first answer to a paid tool called without payment: what it costs, on every network."""
    message = "Payment required: pay one of `accepts` and call again with the payment in _meta['x402/payment']."
    return results.payment_required(lane.payment_required(offer, PAYMENT_REQUIRED), message)


def settlement_meta(outcome: Outcome) -> dict[str, Any]:
    """The result's `_meta` for a paid call: the settlement, as the PAYMENT-RESPONSE header says it over HTTP."""
    receipt = outcome.receipt
    assert receipt is not None
    response = {"success": True, "transaction": receipt.transaction, "network": receipt.network, "payer": receipt.payer}
    return {results.PAYMENT_RESPONSE_META_KEY: response}


def unpaid(lane: PaidLane, offer: Offer, outcome: Outcome) -> types.CallToolResult:
    """A sale that did not pay: the PaymentRequired again (402: the client may pay anew) or a plain tool error."""
    body = outcome.body or {}
    code = str(body.get("error") or "payment_failed")
    message = str(body.get("message") or code)
    if outcome.status_code == 402:
        return results.payment_required(lane.payment_required(offer, code), message, _failed_settlement(outcome))
    fields: dict[str, Any] = {}
    retry_after = _header(outcome, "retry-after")
    if retry_after is not None and retry_after.isdigit():
        fields["retry_after"] = int(retry_after)
    return results.refusal(code, message, **fields)


def _failed_settlement(outcome: Outcome) -> dict[str, Any] | None:
    for name in PAYMENT_RESPONSE_HEADERS:
        value = _header(outcome, name)
        if value is not None:
            return decode_json(value)
    return None


def _header(outcome: Outcome, name: str) -> str | None:
    return next((value for key, value in outcome.headers.items() if key.lower() == name), None)
