"""Sign-in lockout: per account and, separately, per client address; one person never locks another."""

from __future__ import annotations

from django.test import Client, TestCase, override_settings

from bounceback.test import PASSWORD, make_user
from bounceback.tests.test_settings import run_manage

LOGIN = "/accounts/login/"
HERE, ELSEWHERE = "10.0.0.1", "10.0.0.2"


@override_settings(
    ACCOUNT_RATE_LIMITS=False
)  # allauth's own rate limit off: these tests are about the lockout
class LockoutTest(TestCase):
    def setUp(self) -> None:
        make_user("alice")
        make_user("bob")

    def fail_sign_in(self, email: str, *, times: int, address: str = HERE) -> None:
        for _ in range(times):
            response = Client().post(
                LOGIN, {"login": email, "password": "wrong password"}, REMOTE_ADDR=address
            )
            self.assertNotEqual(response.status_code, 302)

    def signs_in(self, email: str, address: str) -> bool:
        client = Client()
        client.post(LOGIN, {"login": email, "password": PASSWORD}, REMOTE_ADDR=address)
        return "_auth_user_id" in client.session

    def test_one_accounts_failures_lock_that_account_and_no_other(self) -> None:
        self.fail_sign_in("alice@example.org", times=5)
        self.assertTrue(self.signs_in("bob@example.org", HERE))
        self.assertTrue(self.signs_in("bob@example.org", ELSEWHERE))
        self.assertFalse(self.signs_in("alice@example.org", ELSEWHERE))  # the account is locked from anywhere
        self.assertFalse(self.signs_in("alice@example.org", HERE))
        locked = Client().post(LOGIN, {"login": "alice@example.org", "password": PASSWORD}, REMOTE_ADDR=HERE)
        self.assertContains(locked, "Sign-in is paused", status_code=429)

    def test_the_account_is_found_whatever_the_case_typed(self) -> None:
        self.fail_sign_in("Alice@Example.org", times=3)
        self.fail_sign_in("alice@example.org", times=2, address=ELSEWHERE)
        self.assertFalse(self.signs_in("alice@example.org", HERE))

    def test_another_accounts_sign_in_does_not_clear_the_failures(self) -> None:
        self.fail_sign_in("alice@example.org", times=4)
        self.assertTrue(self.signs_in("bob@example.org", HERE))
        self.fail_sign_in("alice@example.org", times=1)
        self.assertFalse(self.signs_in("alice@example.org", HERE))

    def test_a_sign_in_clears_that_accounts_own_failures(self) -> None:
        self.fail_sign_in("alice@example.org", times=4)
        self.assertTrue(self.signs_in("alice@example.org", HERE))
        self.fail_sign_in("alice@example.org", times=4)
        self.assertTrue(self.signs_in("alice@example.org", HERE))

    @override_settings(BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT=8)
    def test_failures_over_many_accounts_from_one_address_lock_that_address(self) -> None:
        for n in range(8):
            self.fail_sign_in(f"guess{n}@example.org", times=1)
        self.assertFalse(self.signs_in("bob@example.org", HERE))
        self.assertTrue(self.signs_in("bob@example.org", ELSEWHERE))


PROXY = "10.0.0.9"


@override_settings(
    ACCOUNT_RATE_LIMITS=False,
    BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT=8,
    ALLAUTH_TRUSTED_PROXY_COUNT=1,
)
class BehindAProxyTest(TestCase):
    """What settings.py sets with BEHIND_TLS_PROXY=true and TRUSTED_PROXY_COUNT=1: every request comes from the
    proxy, and the client's own address is the one the proxy added on the right of X-Forwarded-For."""

    def post(self, email: str, password: str, forwarded_for: str) -> Client:
        client = Client()
        client.post(
            LOGIN,
            {"login": email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        return client

    def test_one_clients_failures_lock_that_client_and_not_everyone_behind_the_proxy(self) -> None:
        make_user("bob")
        for n in range(8):
            # A forged address on the left changes nothing: the proxy's own entry is on the right.
            self.post(f"guess{n}@example.org", "wrong password", f"198.51.100.{n}, 203.0.113.5")
        self.assertIn("_auth_user_id", self.post("bob@example.org", PASSWORD, "203.0.113.6").session)
        self.assertNotIn("_auth_user_id", self.post("bob@example.org", PASSWORD, "203.0.113.5").session)


def test_behind_a_proxy_the_settings_read_the_client_address_that_many_hops_from_the_right() -> None:
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE)",
        BEHIND_TLS_PROXY="true",
        TRUSTED_PROXY_COUNT="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2 bounceback.accounts.lockout.client_address"
