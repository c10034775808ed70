"""A lossless archive of the whole database, and its restore into an empty one.

The archive is JSON Lines. Line 1 is the header: the format name and version,
the latest applied migration of each archived app, and the archived tables in
order with their row counts. Every other line is one row,
``{"fields": {…}, "model": "app.model", "pk": …}`` (Django's own serialization
shape), tables in dependency order, rows by primary key, keys sorted. Nothing
about the export itself (its date, the host) is written, so the same data always
gives the same bytes, and a restored database exports to the very file it came
from.

Rows that ``migrate`` makes with ids of its own in every database (content types
and permissions) are not archived; rows pointing at them name them by natural
key. Rows that ``migrate`` or ``setup_roles`` make before anyone can import (the
default rating scale, the role groups) are replaced by the archive's on import.
API tokens and sessions are secrets and are left out; password hashes are kept
so that people can sign in after a restore.

The restore reads each row with Django's "python" deserializer and inserts it
"raw", as loaddata does (though a batch of rows per statement): the models' own
save() (Claim's version check, Source's re-hashing, VerdictEntry's immutability,
Appearance's first-mark juggling) and the TrackedQuerySet refusals are bypassed,
auto_now values are kept, and the receivers that would react to a save
(simple_history's, claims' re-anchoring) skip raw saves, so the restore writes
no history of its own. Everything happens in one transaction.

The parts: ``tables`` (which tables, in what order, and which are left out),
``export`` and ``restore``, ``files`` (gzip, written whole) and ``rows`` (the
format's name and version, its error, and what the two directions share).
"""

from claims.archive.export import write_archive
from claims.archive.files import archive_reader, archive_writer
from claims.archive.restore import read_archive
from claims.archive.rows import FORMAT, VERSION, ArchiveError, table_progress
from claims.archive.tables import LEFT_OUT, MODELS

__all__ = [
    "FORMAT",
    "LEFT_OUT",
    "MODELS",
    "VERSION",
    "ArchiveError",
    "archive_reader",
    "archive_writer",
    "read_archive",
    "table_progress",
    "write_archive",
]
