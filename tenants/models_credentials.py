"""Credentials kept in the public schema: personal API tokens and the sign-in lockout counters
(models of the tenants app, imported at the end of tenants.models)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token: the tools an agent already uses (CTI, CRM sidebars) call the JSON
    API of a tenant as this person, with exactly their access. Only the SHA-256 of the token
    is stored (the secret is 256 random bits, so a plain hash is enough): a database read never
    yields a working token. `prefix` is shown so that people recognise their tokens. Revoking
    keeps the row (it says when, and when the token was last used)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (kbp_{self.prefix}_…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class SignInLockout(models.Model):
    """Failed sign-ins against one key (tenants.auth): the untrusted browsers of an account (a
    hash of the normalised e-mail, whether or not an account has it) or one trusted browser of
    it (a hash of the e-mail and its device cookie's nonce), counted in the database by one
    atomic statement: the lock survives a cache that empties or goes away, and concurrent
    attempts cannot outrun it. `lockouts` makes each lock of a key longer than the last."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    lockouts = models.PositiveIntegerField(_("lockouts"), default=0)

    class Meta:
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")

    def __str__(self) -> str:
        return f"{self.key[:12]}… ({self.failures})"
