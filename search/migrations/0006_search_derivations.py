from django.db import migrations

# Derivations (fragile/fragilité, delivered/delivery, résilier/résiliation): two words meet
# when, in French or in English, one's Snowball stem begins the other's and they differ by at
# most two letters (an English stem's final "i", from "y", aside), the shorter having at least
# five. The query adds, for each word typed, the tenant's vocabulary words that meet it
# (search.query.term_sql). Shared by every tenant, like kb_words: created in public.
DERIVES_SQL = """
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
