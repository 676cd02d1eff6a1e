"""Access generations: what lets a request reuse a person's access without asking again.

`public.tenants_accessgeneration` holds one number per scope: `c:<client id>` (a tenant: its
row and domains, its grants and collection tree, its engagements, who serves it) and `u:<user id>` (a person: the
row itself, their memberships, provider memberships and teams). Triggers on every table the
access is computed from draw a new number from a sequence whenever a row changes, in the same
transaction as the change, whatever writes it (a service, the admin, a bulk update, raw SQL).
A cached access is reused only while the numbers it was computed under are still the numbers
(`tenants.access_cache`), so a revoke is seen by the very next request.

The numbers come from a sequence, not a counter: a sequence never hands out a number twice,
even to a transaction that rolls back, so a number always names one committed state.
The tenant schemas' tables get their triggers in permissions' migration of the same name.
"""

from django.db import migrations

FORWARD = """
CREATE SEQUENCE public.tenants_accessgeneration_seq;
CREATE TABLE public.tenants_accessgeneration (
    scope varchar(40) PRIMARY KEY,
    value bigint NOT NULL
);
CREATE OR REPLACE FUNCTION public.kb_access_bump(scopes text[]) RETURNS void AS $$
    INSERT INTO public.tenants_accessgeneration AS g (scope, value)
    SELECT d.s, nextval('public.tenants_accessgeneration_seq')
    FROM (SELECT DISTINCT s FROM unnest(scopes) AS s WHERE s IS NOT NULL) AS d
    ON CONFLICT (scope) DO UPDATE SET value = nextval('public.tenants_accessgeneration_seq');
$$ LANGUAGE sql;

-- Rows naming a person: their access changes.
CREATE OR REPLACE FUNCTION public.kb_access_changed_user() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM public.kb_access_bump(ARRAY['u:' || OLD.user_id]);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM public.kb_access_bump(ARRAY['u:' || NEW.user_id]);
    ELSE
        PERFORM public.kb_access_bump(ARRAY['u:' || OLD.user_id, 'u:' || NEW.user_id]);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Rows naming a client: the access of everyone in it changes.
CREATE OR REPLACE FUNCTION public.kb_access_changed_client() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM public.kb_access_bump(ARRAY['c:' || OLD.client_id]);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM public.kb_access_bump(ARRAY['c:' || NEW.client_id]);
    ELSE
        PERFORM public.kb_access_bump(ARRAY['c:' || OLD.client_id, 'c:' || NEW.client_id]);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The person's own row (deactivated, password changed, language): the cached person.
CREATE OR REPLACE FUNCTION public.kb_access_changed_person() RETURNS trigger AS $$
BEGIN
    PERFORM public.kb_access_bump(ARRAY['u:' || OLD.id]);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The tenant's own row and its domains: the cached tenant (its settings, its addresses).
CREATE OR REPLACE FUNCTION public.kb_access_changed_tenant_row() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'tenants_client' THEN
        PERFORM public.kb_access_bump(ARRAY['c:' || OLD.id]);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM public.kb_access_bump(ARRAY['c:' || NEW.tenant_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM public.kb_access_bump(ARRAY['c:' || OLD.tenant_id]);
    ELSE
        PERFORM public.kb_access_bump(ARRAY['c:' || OLD.tenant_id, 'c:' || NEW.tenant_id]);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER kb_access_changed AFTER UPDATE OR DELETE ON public.tenants_client
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_tenant_row();
CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE ON public.tenants_domain
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_tenant_row();
CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE ON public.tenants_membership
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_user();
CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE ON public.tenants_providermembership
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_user();
CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE ON public.tenants_providerteam_members
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_user();
CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE ON public.tenants_providermembership_clients
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_client();
CREATE TRIGGER kb_access_changed AFTER INSERT OR UPDATE OR DELETE ON public.tenants_engagement
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_client();
CREATE TRIGGER kb_access_changed AFTER UPDATE OR DELETE ON public.tenants_user
    FOR EACH ROW EXECUTE FUNCTION public.kb_access_changed_person();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_user;
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_domain;
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_client;
DROP FUNCTION IF EXISTS public.kb_access_changed_tenant_row();
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_engagement;
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_providermembership_clients;
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_providerteam_members;
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_providermembership;
DROP TRIGGER IF EXISTS kb_access_changed ON public.tenants_membership;
DROP FUNCTION IF EXISTS public.kb_access_changed_person();
DROP FUNCTION IF EXISTS public.kb_access_changed_client();
DROP FUNCTION IF EXISTS public.kb_access_changed_user();
DROP FUNCTION IF EXISTS public.kb_access_bump(text[]);
DROP TABLE IF EXISTS public.tenants_accessgeneration;
DROP SEQUENCE IF EXISTS public.tenants_accessgeneration_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0009_alter_user_is_demo")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
