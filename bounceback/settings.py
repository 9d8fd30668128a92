"""Bounceback settings: one file, driven by environment variables, safe defaults for local use.

Local use needs nothing set: SQLite in the project folder, DEBUG on, a development secret key.
Production (``BOUNCEBACK_ENV=production``) refuses to start unless SECRET_KEY and ALLOWED_HOSTS are set and
safe, and turns on HTTPS-only cookies, HSTS and the SSL redirect, so ``manage.py check --deploy`` is clean.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from bounceback.video.ice import parse_servers as parse_ice_servers

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def envsecret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


ENVIRONMENT = os.environ.get("BOUNCEBACK_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"BOUNCEBACK_ENV must be development, test or production, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

DEV_SECRET_KEY = "django-insecure-bounceback-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = envsecret("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
DEBUG = envbool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 20
"""Stricter than Django's check W009 (50 characters, 5 distinct): ``"abcde" * 10`` passes W009. 20 distinct
characters in 50 is what any random generator gives (``get_random_secret_key`` draws from 50 symbols)."""


def weak_secret_key(key: str) -> bool:
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE
        or key.startswith("django-insecure")  # Django's generated development keys, and our DEV_SECRET_KEY
    )


# base64 of "bounceback: development key only": refused in production.
DEV_ENCRYPTION_KEY = "Ym91bmNlYmFjazogZGV2ZWxvcG1lbnQga2V5IG9ubHk="
BOUNCEBACK_ENCRYPTION_KEYS = [
    key for key in re.split(r"[\s,]+", envsecret("BOUNCEBACK_ENCRYPTION_KEYS")) if key
] or ([] if PRODUCTION else [DEV_ENCRYPTION_KEY])
"""Fernet keys for free text at rest (bounceback/secure/), newest first: the first encrypts, every one decrypts.
Their own secret, never derived from SECRET_KEY; rotate with `bounceback rotate-keys` (docs/operators.md)."""


def not_fernet_keys(keys: list[str]) -> list[int]:
    """Positions (from 1) of the keys that are not Fernet keys: 32 bytes in URL-safe base64."""
    bad = []
    for position, key in enumerate(keys, start=1):
        try:
            ok = len(key) == 44 and len(base64.b64decode(key, altchars=b"-_", validate=True)) == 32
        except (ValueError, UnicodeError):
            ok = False
        if not ok:
            bad.append(position)
    return bad


if not_fernet_keys(BOUNCEBACK_ENCRYPTION_KEYS):
    raise ImproperlyConfigured(
        "BOUNCEBACK_ENCRYPTION_KEYS: key(s) number "
        + ", ".join(map(str, not_fernet_keys(BOUNCEBACK_ENCRYPTION_KEYS)))
        + " are not Fernet keys (32 random bytes in URL-safe base64, 44 characters; see docs/operators.md)"
    )

if PRODUCTION:
    problems = []
    if not BOUNCEBACK_ENCRYPTION_KEYS:
        problems.append("BOUNCEBACK_ENCRYPTION_KEYS (or BOUNCEBACK_ENCRYPTION_KEYS_FILE) must be set")
    elif DEV_ENCRYPTION_KEY in BOUNCEBACK_ENCRYPTION_KEYS:
        problems.append("BOUNCEBACK_ENCRYPTION_KEYS must not contain the development key")
    if weak_secret_key(SECRET_KEY):
        problems.append(
            f"SECRET_KEY must be set to a random value of at least {SECRET_KEY_MIN_LENGTH} characters with at "
            f"least {SECRET_KEY_MIN_UNIQUE} different characters"
        )
    if DEBUG:
        problems.append("DEBUG must be off")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list this site's host names")
    if problems:
        raise ImproperlyConfigured("Unsafe production configuration: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "bounceback.accounts",
    "bounceback.audit",
    "bounceback.safety",
    "bounceback.checkups",
    "bounceback.plans",
    "bounceback.secure",
    "bounceback.tracking",
    "bounceback.safetyplan",
    "bounceback.reminders",
    "bounceback.progress",
    "bounceback.clinics",
    "bounceback.care",
    "bounceback.visits",
    "bounceback.messaging",
    "bounceback.alerts",
    "bounceback.video",
    "bounceback.dashboard",
    "bounceback.datarights",
    "bounceback.front",
    "bounceback.research",
    "bounceback.fhir",
    "bounceback.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bounceback.front.middleware.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bounceback.safety.web.CrisisCountryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "bounceback.accounts.middleware.IdleTimeoutMiddleware",
    "bounceback.accounts.middleware.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "bounceback.front.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "bounceback.urls"
WSGI_APPLICATION = "bounceback.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bounceback" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "bounceback.safety.web.site",
                "bounceback.checkups.context.acute_banner",
                "bounceback.reminders.context.notices",
                "bounceback.alerts.context.care_watch",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "bb-me"
ACCOUNT_ADAPTER = "bounceback.accounts.adapter.AccountAdapter"  # clinicians to their dashboard, administrators to the clinic
LOGOUT_REDIRECT_URL = "bb-home"

# --- Accounts (django-allauth): email and password, email verification, rate limits, MFA -----------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "bounceback.accounts.forms.OnboardingForm"
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory").strip().lower()
"""Mandatory: nobody signs in before confirming their address. allauth hides whether an address has an account
(ACCOUNT_PREVENT_ENUMERATION) only then; "optional" makes sign-up say that an address is taken."""
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ImproperlyConfigured(
        f"ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none, not {ACCOUNT_EMAIL_VERIFICATION!r}"
    )
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "bounceback.accounts.signup.PrivateSignupForm"}
"""Sign-up answers the same for a new and a taken address (the owner gets an email): see accounts/signup.py."""
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Bounceback: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
"""The authenticator app first (clinicians and operators must set it up before anything else), then security
keys and passkeys as an extra second factor (WebAuthn, fido2). Signing in with a passkey alone stays off."""
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_FORMS = {
    "add_webauthn": "bounceback.accounts.passkeys.AddKeyForm",
    "authenticate_webauthn": "bounceback.accounts.passkeys.AuthenticateKeyForm",
    "reauthenticate_webauthn": "bounceback.accounts.passkeys.ReauthenticateKeyForm",
}
MFA_TOTP_ISSUER = "Bounceback"
USERSESSIONS_TRACK_ACTIVITY = False
BOUNCEBACK_MFA_ROLES = {"clinician", "operator"}
"""Roles that must sign in with two factors (staff and superusers too)."""
BOUNCEBACK_IDLE_MINUTES = envint("BOUNCEBACK_IDLE_MINUTES", 30)
"""Signed-in people are signed out after this many minutes without activity."""
BOUNCEBACK_VISITOR_RETENTION_DAYS = envint("BOUNCEBACK_VISITOR_RETENTION_DAYS", 30)
"""`bounceback purge_visitors` deletes check-ups started without an account, never claimed, and untouched for
this many days (with their answers, results and safety events)."""
if BOUNCEBACK_VISITOR_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("BOUNCEBACK_VISITOR_RETENTION_DAYS must be 1 or more")
BOUNCEBACK_INVITATION_DAYS = envint("BOUNCEBACK_INVITATION_DAYS", 7)
"""Days a clinic's invitation link stays valid (it works once)."""
if not 1 <= BOUNCEBACK_INVITATION_DAYS <= 30:
    raise ImproperlyConfigured("BOUNCEBACK_INVITATION_DAYS must be between 1 and 30")

# --- Login lockout (django-axes): per account and, separately, per client address --------------------------
# Two separate buckets (a list of parameters is an OR of buckets): AXES_FAILURE_LIMIT failures for one account
# lock that account for an hour, from anywhere; BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT failures from one address (any
# accounts: password spraying) lock that address. One person's typos never lock anyone else, even on the same
# network. See bounceback/accounts/lockout.py.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT = envint("BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT", 20)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "bounceback.accounts.lockout.account_key"
AXES_HANDLER = "bounceback.accounts.lockout.AccountAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "bounceback.accounts.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "account/locked.html"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bounceback <no-reply@bounceback.invalid>")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
"""Seconds an SMTP step may take before the send fails (and is retried): a stuck mail server never holds a
worker past its outbox lease."""

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic target; production only (whitenoise serves from the finders in development and tests).
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "bounceback" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bounceback_cache"}
}

# --- Security --------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", PRODUCTION)
HSTS_MIN_SECONDS = 60 * 60 * 24 * 365
"""Production refuses a shorter HSTS: one year, as the HSTS preload list requires."""
if PRODUCTION:
    # The environment can tune these, never switch them off in production (a typo'd false would be silent).
    weakened = [
        name
        for name, on in {
            "SESSION_COOKIE_SECURE": SESSION_COOKIE_SECURE,
            "CSRF_COOKIE_SECURE": CSRF_COOKIE_SECURE,
            "SECURE_SSL_REDIRECT": SECURE_SSL_REDIRECT,
        }.items()
        if not on
    ]
    if weakened:
        raise ImproperlyConfigured(f"Unsafe production configuration: {', '.join(weakened)} must be true")
    if SECURE_HSTS_SECONDS < HSTS_MIN_SECONDS:
        raise ImproperlyConfigured(
            f"Unsafe production configuration: SECURE_HSTS_SECONDS must be at least {HSTS_MIN_SECONDS}"
        )

PERMISSIONS_POLICY = {
    "camera": "(self)",
    "microphone": "(self)",
    "display-capture": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "serial": "()",
    "hid": "()",
    "midi": "()",
    "accelerometer": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "browsing-topics": "()",
}
"""Sent on every response. Camera and microphone stay available to our own pages (video visits are coming);
every other powerful feature is off, for us and for any frame."""
CSRF_FAILURE_VIEW = "bounceback.front.views.csrf_failure"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client address for the sign-in limits is the one our own proxies saw (X-Forwarded-For, counting
    # TRUSTED_PROXY_COUNT hops from the right); otherwise every client would share the proxy's address. allauth
    # reads it so; the lockout asks allauth (AXES_CLIENT_IP_CALLABLE).
    ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)

# A strict Content-Security-Policy: our own origin only, no inline code, no third parties (hazard H13).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Logging: no request bodies, no health data (hazard H18) ---------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every successful sign-in at INFO; keep warnings (lockouts) only.
    # urllib3 logs each request's address at DEBUG: a Web Push endpoint is a capability, never logged.
    "loggers": {"axes": {"level": "WARNING"}, "urllib3": {"level": "WARNING"}},
}

# --- Bounceback ------------------------------------------------------------------------------------------
BOUNCEBACK_DEFAULT_COUNTRY = os.environ.get("BOUNCEBACK_DEFAULT_COUNTRY", "US").upper()
BOUNCEBACK_ENABLED_INSTRUMENTS = [i.lower() for i in envlist("BOUNCEBACK_ENABLED_INSTRUMENTS")]
"""Extra instruments to enable beyond the licence defaults (e.g. "who5" for a non-commercial deployment)."""
BOUNCEBACK_CONTACT_EMAIL = os.environ.get("BOUNCEBACK_CONTACT_EMAIL", "").strip()
"""Where people reach this site's operator, shown on the about page (empty: the page says none is published)."""

# --- Reminders: background work (django-tasks with its database backend; docs/architecture.md) ------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BOUNCEBACK_SITE_URL = os.environ.get(
    "BOUNCEBACK_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
"""The site's address for links in emails (reminders, unsubscribe), which are built without a request."""
if PRODUCTION and not BOUNCEBACK_SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "Unsafe production configuration: BOUNCEBACK_SITE_URL must start with https://"
    )
BOUNCEBACK_SCHEDULER_INTERVAL = envint("BOUNCEBACK_SCHEDULER_INTERVAL", 30)
"""Seconds between the scheduler's rounds (plan, hand due sends to the worker, heartbeat)."""
BOUNCEBACK_OUTBOX_LEASE_SECONDS = envint("BOUNCEBACK_OUTBOX_LEASE_SECONDS", 300)
"""How long a worker's claim on a send holds; after it, a send whose worker died is claimed again."""
BOUNCEBACK_OUTBOX_MAX_ATTEMPTS = envint("BOUNCEBACK_OUTBOX_MAX_ATTEMPTS", 5)
BOUNCEBACK_OUTBOX_BACKOFF_SECONDS = envint("BOUNCEBACK_OUTBOX_BACKOFF_SECONDS", 60)
"""The wait after the first failed attempt, doubling after each (60, 120, 240, 480 s), then failed."""
if (
    BOUNCEBACK_SCHEDULER_INTERVAL < 1
    or BOUNCEBACK_OUTBOX_MAX_ATTEMPTS < 1
    or BOUNCEBACK_OUTBOX_BACKOFF_SECONDS < 1
):
    raise ImproperlyConfigured(
        "BOUNCEBACK_SCHEDULER_INTERVAL, BOUNCEBACK_OUTBOX_MAX_ATTEMPTS and BOUNCEBACK_OUTBOX_BACKOFF_SECONDS "
        "must be 1 or more"
    )
if BOUNCEBACK_OUTBOX_LEASE_SECONDS < 4 * EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        "BOUNCEBACK_OUTBOX_LEASE_SECONDS must be at least 4 × EMAIL_TIMEOUT, so a claim outlasts a slow send"
    )

# --- Reminders: Web Push (VAPID keys; docs/operators.md#web-push-reminders) ----------------------------------
BOUNCEBACK_VAPID_PUBLIC_KEY = os.environ.get("BOUNCEBACK_VAPID_PUBLIC_KEY", "").strip()
BOUNCEBACK_VAPID_PRIVATE_KEY = envsecret("BOUNCEBACK_VAPID_PRIVATE_KEY").strip()
BOUNCEBACK_VAPID_SUBJECT = os.environ.get("BOUNCEBACK_VAPID_SUBJECT", "").strip()
"""The application server's key pair (public: the uncompressed P-256 point in URL-safe base64, as `vapid
--applicationServerKey` prints it; private: the PEM `vapid --gen` writes, or its raw 32 bytes in URL-safe base64)
and the contact the push services see (mailto: or https:). None set: the push channel is off."""
BOUNCEBACK_WEB_PUSH = bool(
    BOUNCEBACK_VAPID_PUBLIC_KEY and BOUNCEBACK_VAPID_PRIVATE_KEY and BOUNCEBACK_VAPID_SUBJECT
)
BOUNCEBACK_PUSH_ALLOW_LOOPBACK = ENVIRONMENT == "test"
"""Subscriptions must name an https push service; the tests' own push service on http://127.0.0.1 only here."""


def vapid_problems(public: str, private: str, subject: str) -> list[str]:
    """What is wrong with a VAPID configuration (nothing set is fine: the channel is off)."""
    if not (public or private or subject):
        return []
    names = {
        "BOUNCEBACK_VAPID_PUBLIC_KEY": public,
        "BOUNCEBACK_VAPID_PRIVATE_KEY (or BOUNCEBACK_VAPID_PRIVATE_KEY_FILE)": private,
        "BOUNCEBACK_VAPID_SUBJECT": subject,
    }
    missing = [name for name, value in names.items() if not value]
    if missing:
        return [f"Web Push needs all three VAPID settings or none: {', '.join(missing)} not set"]
    problems = []
    if not subject.startswith(("mailto:", "https://")):
        problems.append("BOUNCEBACK_VAPID_SUBJECT must start with mailto: or https://")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def b64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    try:
        if "-----BEGIN" in private:
            key = serialization.load_pem_private_key(private.encode(), password=None)
        else:
            raw = b64(private)
            if len(raw) != 32:
                raise ValueError("not 32 bytes")
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("not a P-256 key")
        derived = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    except (ValueError, TypeError):
        return [*problems, "BOUNCEBACK_VAPID_PRIVATE_KEY is not a P-256 private key (see docs/operators.md)"]
    try:
        matches = b64(public) == derived
    except ValueError:
        matches = False
    if not matches:
        problems.append("BOUNCEBACK_VAPID_PUBLIC_KEY is not the public half of BOUNCEBACK_VAPID_PRIVATE_KEY")
    return problems


_vapid = vapid_problems(BOUNCEBACK_VAPID_PUBLIC_KEY, BOUNCEBACK_VAPID_PRIVATE_KEY, BOUNCEBACK_VAPID_SUBJECT)
if _vapid:  # refused everywhere: a half-set configuration is a mistake, never a way to turn push off
    raise ImproperlyConfigured(
        ("Unsafe production configuration: " if PRODUCTION else "") + "; ".join(_vapid)
    )

# --- Video visits: STUN/TURN for WebRTC (docs/operators.md#video-visits) --------------------------------------
try:
    BOUNCEBACK_ICE_SERVERS = parse_ice_servers(os.environ.get("BOUNCEBACK_ICE_SERVERS", ""))
except ValueError as _ice_error:
    raise ImproperlyConfigured(str(_ice_error)) from None
"""RTCPeerConnection's iceServers as JSON, e.g. [{"urls": "stun:turn.example.org:3478"}, {"urls":
["turn:turn.example.org:3478", "turns:turn.example.org:5349"]}]. Empty: host candidates only (one network)."""
BOUNCEBACK_TURN_SECRET = envsecret("BOUNCEBACK_TURN_SECRET").strip()
"""coturn's static-auth-secret: TURN servers listed without a username get time-limited credentials made from
it at join (the secret never reaches the browser). /health/ says "degraded" in production without TURN."""

if ENVIRONMENT == "test" and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: concurrency tests need SQLite's real locking and busy timeout.
    # Beside the database it tests (so two runs with different DATABASE_URLs never share a test file).
    _tested = Path(str(DATABASES["default"]["NAME"]))
    DATABASES["default"]["TEST"] = {"NAME": str(_tested.with_name(f".test-{_tested.stem}.sqlite3"))}

if ENVIRONMENT == "test" and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The audit table refuses TRUNCATE (audit migration 0003) unless the session allows it; Django empties the
    # test database with TRUNCATE between transactional tests. Never set outside the test run.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c bounceback.audit_truncate=on"

if ENVIRONMENT == "test":
    # Argon2 costs ~100 ms a hash; tests use a fast hasher (never in production: ENVIRONMENT is checked).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
