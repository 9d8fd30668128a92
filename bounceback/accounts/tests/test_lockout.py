"""Sign-in lockout: per account and, separately, per client address; one person never locks another."""

from __future__ import annotations

from django.test import Client, TestCase, override_settings

from bounceback.test import PASSWORD, make_user

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
