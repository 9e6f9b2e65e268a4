"""The full-text index behind directory.search, in the dialect of each database."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE directory_authority_fts USING fts5("
    "search_text, content='directory_authority', content_rowid='id', prefix='2 3')",
    "CREATE TRIGGER directory_authority_fts_insert AFTER INSERT ON directory_authority BEGIN "
    "INSERT INTO directory_authority_fts(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    "CREATE TRIGGER directory_authority_fts_delete AFTER DELETE ON directory_authority BEGIN "
    "INSERT INTO directory_authority_fts(directory_authority_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER directory_authority_fts_update AFTER UPDATE OF search_text "
    "ON directory_authority BEGIN "
    "INSERT INTO directory_authority_fts(directory_authority_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO directory_authority_fts(rowid, search_text) VALUES (new.id, new.search_text); "
    "END",
    "INSERT INTO directory_authority_fts(directory_authority_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS directory_authority_fts_insert",
    "DROP TRIGGER IF EXISTS directory_authority_fts_delete",
    "DROP TRIGGER IF EXISTS directory_authority_fts_update",
    "DROP TABLE IF EXISTS directory_authority_fts",
]
# A stored tsvector: ranking many matches then reads it instead of parsing the text again.
POSTGRESQL_CREATE = [
    "ALTER TABLE directory_authority ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX directory_authority_search ON directory_authority USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS directory_authority_search",
    "ALTER TABLE directory_authority DROP COLUMN IF EXISTS search_vector",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_directory")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
