"""An index on the exact words of each document: "did you mean" checks that a word occurs, as
such, in a document the person may see; with it, that is one index probe, not a scan of every
document sharing the word's stem."""

from django.db import migrations

INDEX = "search_doc_words_gin"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_lookup_shortcuts_and_log_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchdocument USING gin (string_to_array(btrim(words), ' '))",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
