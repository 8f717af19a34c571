"""Wire shapes of x402 (protocol v2, with the v1 shapes old clients still send), as pydantic models.

Field names are snake_case in Python and camelCase on the wire (`model_dump(by_alias=True)`); models that the spec
lets carry extensions accept extra keys. Amounts stay digit strings on the wire and become ints only in code.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

UINT256_MAX = 2**256 - 1

Address = Annotated[str, StringConstraints(pattern=r"^0x[0-9a-fA-F]{40}$")]
Bytes32 = Annotated[str, StringConstraints(pattern=r"^0x[0-9a-fA-F]{64}$")]
HexBytes = Annotated[str, StringConstraints(pattern=r"^0x(?:[0-9a-fA-F]{2})*$", max_length=4096)]
Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,78}$")]


class WireModel(BaseModel):
    """camelCase on the wire, snake_case in code; unknown keys kept (the spec allows extensions)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def wire(self) -> dict[str, Any]:
        """The JSON-ready dict as sent on the wire."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class StrictWireModel(WireModel):
    """A wire shape whose every field we check: unknown keys are refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# ---- v2 -----------------------------------------------------------------------------------------------------------


class ResourceInfo(WireModel):
    url: str
    description: str = ""
    mime_type: str = ""


class PaymentRequirements(WireModel):
    scheme: str
    network: str
    amount: Digits
    asset: str
    pay_to: str
    max_timeout_seconds: int
    extra: dict[str, Any] | None = None


class PaymentRequired(WireModel):
    x402_version: Literal[2] = 2
    error: str | None = None
    resource: ResourceInfo
    accepts: list[PaymentRequirements]
    extensions: dict[str, Any] | None = None


class PaymentPayload(WireModel):
    x402_version: Literal[2] = 2
    accepted: PaymentRequirements
    payload: dict[str, Any]
    resource: ResourceInfo | None = None
    extensions: dict[str, Any] | None = None


# ---- v1 -----------------------------------------------------------------------------------------------------------


class PaymentRequirementsV1(WireModel):
    scheme: str
    network: str
    max_amount_required: Digits
    resource: str
    description: str = ""
    mime_type: str = ""
    output_schema: dict[str, Any] | None = None
    pay_to: str
    max_timeout_seconds: int
    asset: str
    extra: dict[str, Any] | None = None


class PaymentRequiredV1(WireModel):
    x402_version: Literal[1] = 1
    error: str | None = None
    accepts: list[PaymentRequirementsV1]


class PaymentPayloadV1(WireModel):
    x402_version: Literal[1] = 1
    scheme: str
    network: str
    payload: dict[str, Any]


# ---- answers ------------------------------------------------------------------------------------------------------


class SettleResponse(WireModel):
    """The PAYMENT-RESPONSE (v2) / X-PAYMENT-RESPONSE (v1) header body."""

    success: bool
    transaction: str = ""
    network: str
    payer: str | None = None
    error_reason: str | None = None


class VerifyResponse(WireModel):
    """A facilitator's answer to /verify."""

    is_valid: bool
    invalid_reason: str | None = None
    invalid_message: str | None = None
    payer: str | None = None


class FacilitatorSettleResponse(SettleResponse):
    """A facilitator's answer to /settle (the same shape, plus an optional message)."""

    error_message: str | None = None


# ---- EVM exact ----------------------------------------------------------------------------------------------------


class Eip3009Authorization(StrictWireModel):
    from_: Address = Field(alias="from")
    to: Address
    value: Digits
    valid_after: Digits
    valid_before: Digits
    nonce: Bytes32

    @field_validator("value", "valid_after", "valid_before")
    @classmethod
    def _fits_uint256(cls, v: str) -> str:
        if int(v) > UINT256_MAX:
            raise ValueError("does not fit in uint256")
        return v


class ExactEvmPayload(StrictWireModel):
    """The `payload` of an EVM `exact` payment: an EIP-3009 authorization and its signature."""

    signature: HexBytes
    authorization: Eip3009Authorization


# ---- SVM exact ----------------------------------------------------------------------------------------------------

SVM_MAX_TRANSACTION_BYTES = 1232  # a Solana packet: no valid transaction is larger
SVM_MAX_TRANSACTION_BASE64 = 4 * -(-SVM_MAX_TRANSACTION_BYTES // 3)


class ExactSvmPayload(StrictWireModel):
    """The `payload` of an SVM `exact` payment: a base64 versioned transaction the payer signed, our slot empty."""

    transaction: Annotated[str, StringConstraints(min_length=1, max_length=SVM_MAX_TRANSACTION_BASE64)]
