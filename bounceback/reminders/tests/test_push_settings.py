"""Web Push's VAPID settings: none set turns the channel off; a half-set or mismatched configuration refuses to
start (in production, as an unsafe configuration); a full one passes the deployment checks."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bounceback.tests.test_settings import production

from .pushhelpers import SUBJECT, VAPID_PRIVATE, VAPID_PUBLIC, b64url, public_point

FULL = {
    "BOUNCEBACK_VAPID_PUBLIC_KEY": VAPID_PUBLIC,
    "BOUNCEBACK_VAPID_PRIVATE_KEY": VAPID_PRIVATE,
    "BOUNCEBACK_VAPID_SUBJECT": SUBJECT,
}


def test_production_refuses_a_half_configured_web_push() -> None:
    for missing in FULL:
        env = {name: value for name, value in FULL.items() if name != missing}
        result = production(**env)
        assert result.returncode != 0, missing
        assert "Unsafe production configuration: Web Push needs all three VAPID settings" in result.stderr
        assert missing in result.stderr


def test_production_refuses_a_bad_subject_or_a_key_pair_that_does_not_match() -> None:
    other = b64url(public_point(ec.generate_private_key(ec.SECP256R1())))
    for change, message in (
        ({"BOUNCEBACK_VAPID_SUBJECT": "operators@bounceback.example"}, "must start with mailto: or https://"),
        ({"BOUNCEBACK_VAPID_PUBLIC_KEY": other}, "is not the public half"),
        ({"BOUNCEBACK_VAPID_PRIVATE_KEY": "bm90IGEga2V5"}, "is not a P-256 private key"),
    ):
        result = production(**{**FULL, **change})
        assert result.returncode != 0, change
        assert message in result.stderr, result.stderr


def test_a_full_configuration_starts_with_the_key_in_a_pem_file(tmp_path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = tmp_path / "private_key.pem"  # as `vapid --gen` writes it
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    result = production(
        BOUNCEBACK_VAPID_PUBLIC_KEY=b64url(public_point(key)),
        BOUNCEBACK_VAPID_PRIVATE_KEY_FILE=str(pem),
        BOUNCEBACK_VAPID_SUBJECT="https://bb.example/about/",
    )
    assert result.returncode == 0, result.stderr
    assert production(**FULL).returncode == 0
