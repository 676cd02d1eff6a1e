"""An article row's title, language and tags are its live revision's (issue #9: a newer
draft's title was shown to readers in every list).

Rows written before this carried the latest draft's: REPAIR puts the live revision's back.
Then a trigger keeps it so whatever writes the row (a service, a bulk update, raw SQL): on a
published article, it takes the three fields from the live revision (in the row's own
schema, whatever the search path), and refuses a live revision of another article. Rows of
never-published articles (editors only) are left as written. Like the audit log's trigger, it
lives in each tenant schema and is cloned with the template.
"""

from django.db import migrations

REPAIR = """
UPDATE articles_article a SET title = r.title, language = r.language, tags = r.tags
FROM articles_revision r
WHERE r.id = a.live_revision_id AND r.article_id = a.id
  AND (a.title, a.language, a.tags) IS DISTINCT FROM (r.title, r.language, r.tags)
"""

FORWARD = """
CREATE OR REPLACE FUNCTION kb_article_reader_fields() RETURNS trigger AS $$
DECLARE
    live record;
BEGIN
    IF NEW.live_revision_id IS NULL THEN
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT title, language, tags FROM %I.articles_revision WHERE id = $1 AND article_id = $2',
                   TG_TABLE_SCHEMA)
        INTO live USING NEW.live_revision_id, NEW.id;
    IF live.title IS NULL THEN
        RAISE EXCEPTION 'article %: live revision % is not one of its revisions', NEW.id, NEW.live_revision_id;
    END IF;
    NEW.title := live.title;
    NEW.language := live.language;
    NEW.tags := live.tags;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER article_reader_fields
    BEFORE INSERT OR UPDATE OF live_revision_id, title, language, tags ON articles_article
    FOR EACH ROW EXECUTE FUNCTION kb_article_reader_fields();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS article_reader_fields ON articles_article;
DROP FUNCTION IF EXISTS kb_article_reader_fields();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_defects_lf_line_endings")]

    operations = [
        migrations.RunSQL(REPAIR, migrations.RunSQL.noop),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
