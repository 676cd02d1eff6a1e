"""Sessions read from the cache first (tenants.sessions): a session that ends leaves a mark here.

Every deletion of a live `django_session` row (sign-out, a new key at sign-in, a password change
elsewhere, a restore, an admin's or a lead's "sign the others out", a raw DELETE) writes the
digest of its key into `public.tenants_sessionend`, in the same transaction, by trigger. The
request reads that mark in the statement that reads the access generations
(permissions.access_cache.read_generations), so a copy of the session that Redis still holds
(a delete that could not reach it) is never trusted: the session is read from the database,
where it is gone. The session store also writes a mark when the cache may have missed one of its
writes (Redis unavailable). Marks older than the longest session are swept by `clearsessions`.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE public.tenants_sessionend (
    digest varchar(64) PRIMARY KEY,
    ended_at timestamptz NOT NULL DEFAULT now()
);
CREATE OR REPLACE FUNCTION public.kb_session_ended() RETURNS trigger AS $$
BEGIN
    INSERT INTO public.tenants_sessionend (digest)
    VALUES (encode(sha256(convert_to(OLD.session_key, 'UTF8')), 'hex'))
    ON CONFLICT (digest) DO UPDATE SET ended_at = now();
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kb_session_ended AFTER DELETE ON public.django_session
    FOR EACH ROW WHEN (OLD.expire_date > now()) EXECUTE FUNCTION public.kb_session_ended();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS kb_session_ended ON public.django_session;
DROP FUNCTION IF EXISTS public.kb_session_ended();
DROP TABLE IF EXISTS public.tenants_sessionend;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0013_signin_lockout_devices"), ("sessions", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
