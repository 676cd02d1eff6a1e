from django.db import migrations

# Derivations (fragile/fragilité, delivered/delivery, résilier/résiliation): two words meet
# when, in French or in English, one's Snowball stem begins the other's and they differ by at
# most two letters (an English stem's final "i", from "y", aside), the shorter having at least
# five. The query adds, for each word typed, the tenant's vocabulary words that meet it
# (search.query.term_sql). Shared by every tenant, like kb_words: created in public.
#
# This migration runs once per tenant schema, and `migrate_schemas --executor=pending` runs
# several schemas at once: two transactions replacing the same public function (or creating the
# same extension) at the same time fail with "tuple concurrently updated". The first statement
# takes a transaction-scoped advisory lock (released at the migration's commit), so the schemas
# replace it one after the other. The key is this migration's own.
DERIVES_LOCK_KEY = 7_406_220_061
DERIVES_SQL = f"""
SELECT pg_advisory_xact_lock({DERIVES_LOCK_KEY});
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public;
CREATE OR REPLACE FUNCTION public.kb_derives(typed text, word text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT coalesce(bool_or(least(length(a), length(b)) >= 5 AND (starts_with(b, a) OR starts_with(a, b))
                            AND abs(length(a) - length(b)) <= 2), false)
           AND public.levenshtein(typed, word) > 1
    FROM (VALUES ((ts_lexize('french_stem', typed))[1], (ts_lexize('french_stem', word))[1]),
                 (rtrim((ts_lexize('english_stem', typed))[1], 'i'),
                  rtrim((ts_lexize('english_stem', word))[1], 'i'))) AS s(a, b)
$fn$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0005_index_index_failures"),
    ]

    operations = [
        migrations.RunSQL(DERIVES_SQL, reverse_sql=migrations.RunSQL.noop),
    ]
