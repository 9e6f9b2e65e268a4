"""SQLite, the embedded default, tuned for an async server.

WAL mode lets readers run beside the one writer. It is a property of the database file
and survives restarts, so it is switched on by the first connection of each process and
never again: asking on every connection takes the file's lock each time, and consumers
open a connection for every piece of database work.
"""

from django.db.backends.signals import connection_created

_files_in_wal: set[str] = set()


def _on_connection(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        if name not in _files_in_wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            _files_in_wal.add(name)
        cursor.execute("PRAGMA synchronous=NORMAL")


def tune_sqlite() -> None:
    connection_created.connect(_on_connection, dispatch_uid="liaison-sqlite")
