"""Configure an organisation's OpenID Connect identity provider from the command line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sso.services import identity_provider_configure
from tenants.models import Client, ProviderOrganisation


class Command(BaseCommand):
    help = "Create or update the single sign-on (OpenID Connect) of a client or provider organisation."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--client", help="schema name of the client company")
        who.add_argument("--provider", help="name of the provider organisation")
        parser.add_argument("--issuer", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", default="")
        parser.add_argument("--domain", action="append", required=True, help="an e-mail domain (repeatable)")
        parser.add_argument("--default-role", default="viewer", choices=["admin", "editor", "viewer"])
        parser.add_argument("--require-sso", action="store_true")

    def handle(self, *args, **options):
        client = provider = None
        if options["client"]:
            client = Client.objects.filter(schema_name=options["client"]).first()
            if client is None:
                raise CommandError(f"no client with schema {options['client']!r}")
        else:
            provider = ProviderOrganisation.objects.filter(name=options["provider"]).first()
            if provider is None:
                raise CommandError(f"no provider organisation named {options['provider']!r}")
        try:
            identity_provider = identity_provider_configure(
                client=client, provider=provider, issuer=options["issuer"], client_id=options["client_id"],
                client_secret=options["client_secret"], domains=options["domain"],
                default_role=options["default_role"], require_sso=options["require_sso"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"single sign-on of {identity_provider} for {', '.join(options['domain'])}: {identity_provider.issuer}")
