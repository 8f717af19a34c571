"""One signing secret for every node, and its rotation: with PostgreSQL the secret must be configured (each node
would otherwise make its own), and during a rotation links and upload slots signed with the previous secret still
pass while new ones are signed with the new secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.photos.uploads import Slot, SlotSigner
from app.signing import UrlSigner

OLD, NEW = b"the-secret-before-the-rotation", b"the-secret-after-the-rotation"
PATH = "/files/job_1/model.glb"


def test_a_shared_database_needs_the_shared_secret(tmp_path) -> None:
    with pytest.raises(ValidationError, match="FORGE402_SECRET is required with FORGE402_DATABASE_URL"):
        Settings(data_dir=tmp_path, database_url="postgresql://db.internal/forge402")
    settings = Settings(data_dir=tmp_path, database_url="postgresql://db.internal/forge402", secret="s" * 32)
    assert settings.database == "postgresql://db.internal/forge402"
    assert "db.internal" not in repr(settings)  # the URL may hold a password: never printed
    with pytest.raises(ValidationError, match="postgresql://"):
        Settings(data_dir=tmp_path, database_url="mysql://db/forge402", secret="s" * 32)


def test_links_signed_before_a_rotation_still_pass_new_ones_use_the_new_secret() -> None:
    before = UrlSigner(OLD, ttl_seconds=600).sign(PATH)
    query = dict(part.split("=") for part in before.split("?", 1)[1].split("&"))
    rotating = UrlSigner(NEW, ttl_seconds=600, previous=[OLD])
    assert rotating.check(PATH, query["expires"], query["sig"]) is None
    assert UrlSigner(NEW, ttl_seconds=600).check(PATH, query["expires"], query["sig"]) is not None  # rotation over
    after = dict(part.split("=") for part in rotating.sign(PATH).split("?", 1)[1].split("&"))
    assert UrlSigner(NEW, ttl_seconds=600).check(PATH, after["expires"], after["sig"]) is None


def test_upload_slots_signed_before_a_rotation_still_take_their_photo() -> None:
    slot = Slot("u" * 22, "image/png", 1000, 2_000_000_000)
    signed_before = SlotSigner(OLD).upload_path(slot).split("sig=")[1]
    assert SlotSigner(NEW, [OLD]).verify(slot, signed_before)
    assert not SlotSigner(NEW).verify(slot, signed_before)
    assert settings_keys(OLD, NEW) == (NEW, OLD)


def settings_keys(old: bytes, new: bytes) -> tuple[bytes, ...]:
    return Settings(secret=new.decode(), secret_previous=old.decode()).signing_keys()
