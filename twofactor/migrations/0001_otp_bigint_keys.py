"""django-otp's devices and recovery codes get 64-bit keys, like every other table of the
platform (tenants.schema_rules, issue 18): the library's own migrations make them int4. The
models' state is the library's (an AutoField reads a bigint as well); only the columns change."""

from django.db import migrations

FORWARD = """
ALTER TABLE public.otp_static_statictoken ALTER COLUMN device_id TYPE bigint;
ALTER TABLE public.otp_static_statictoken ALTER COLUMN id TYPE bigint;
ALTER SEQUENCE IF EXISTS public.otp_static_statictoken_id_seq AS bigint;
ALTER TABLE public.otp_static_staticdevice ALTER COLUMN id TYPE bigint;
ALTER SEQUENCE IF EXISTS public.otp_static_staticdevice_id_seq AS bigint;
ALTER TABLE public.otp_totp_totpdevice ALTER COLUMN id TYPE bigint;
ALTER SEQUENCE IF EXISTS public.otp_totp_totpdevice_id_seq AS bigint;
"""


class Migration(migrations.Migration):
    dependencies = [("otp_static", "0003_add_timestamps"), ("otp_totp", "0003_add_timestamps")]

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
