"""The schema: one migration per version, applied in order inside the opening transaction.

A database records the versions applied in ``schema_version``; a newer software adds a
migration at the end of ``MIGRATIONS`` and never edits an older one, so a database of any
earlier version opens and is brought up to date with nothing lost.
"""

from __future__ import annotations

from store.journal import now
from store.room import Connection

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE neighbourhoods (
            code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, status VARCHAR NOT NULL, project VARCHAR
        );
        CREATE TABLE operations (
            id VARCHAR PRIMARY KEY, position INTEGER NOT NULL,
            neighbourhood VARCHAR NOT NULL, title VARCHAR NOT NULL, facility_type VARCHAR NOT NULL,
            nature VARCHAR NOT NULL, owner VARCHAR NOT NULL, directorate VARCHAR NOT NULL,
            maturity VARCHAR NOT NULL, area_m2 DOUBLE, capacity INTEGER, programme VARCHAR,
            cost_ht DOUBLE NOT NULL, price_year INTEGER NOT NULL, vat_rate DOUBLE NOT NULL,
            start VARCHAR NOT NULL, programming_months INTEGER NOT NULL, design_months INTEGER NOT NULL,
            tendering_months INTEGER NOT NULL, works_months INTEGER NOT NULL, priority INTEGER NOT NULL,
            depends_on VARCHAR,
            funding_anru DOUBLE NOT NULL, funding_etat DOUBLE NOT NULL, funding_region DOUBLE NOT NULL,
            funding_departement DOUBLE NOT NULL, funding_caf DOUBLE NOT NULL,
            funding_metropole DOUBLE NOT NULL, funding_autres DOUBLE NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE scenarios (
            name VARCHAR PRIMARY KEY, payload VARCHAR NOT NULL, author VARCHAR, rationale VARCHAR,
            parent VARCHAR, is_reference BOOLEAN NOT NULL, version INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        """,
    ),
    (
        2,
        """
        CREATE TABLE people (
            name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, directorates VARCHAR NOT NULL,
            email VARCHAR, created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE change_sets (
            id INTEGER PRIMARY KEY, changed_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL,
            action VARCHAR NOT NULL, reason VARCHAR, undone_by INTEGER
        );
        CREATE TABLE history (
            change_set INTEGER NOT NULL, seq INTEGER NOT NULL, changed_at TIMESTAMP NOT NULL,
            user_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, target VARCHAR, directorate VARCHAR,
            field VARCHAR, before VARCHAR, after VARCHAR, reason VARCHAR, version INTEGER,
            PRIMARY KEY (change_set, seq)
        );
        CREATE TABLE operation_versions (
            id VARCHAR NOT NULL, version INTEGER NOT NULL, change_set INTEGER NOT NULL, payload VARCHAR,
            PRIMARY KEY (id, version)
        );
        CREATE TABLE scenario_bin (
            bin_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, payload VARCHAR NOT NULL, author VARCHAR,
            rationale VARCHAR, parent VARCHAR, version INTEGER NOT NULL, created_at TIMESTAMP NOT NULL,
            deleted_by VARCHAR NOT NULL, deleted_at TIMESTAMP NOT NULL
        );
        CREATE TABLE milestones (
            name VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL,
            operations VARCHAR NOT NULL, change_set INTEGER NOT NULL
        );
        """,
    ),
    (
        3,
        """
        ALTER TABLE operations ADD COLUMN ap_votee DOUBLE;
        CREATE TABLE actuals (
            operation_id VARCHAR NOT NULL, year INTEGER NOT NULL, mandate_ttc DOUBLE NOT NULL,
            engage_ttc DOUBLE, received VARCHAR NOT NULL, change_set INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL, PRIMARY KEY (operation_id, year)
        );
        """,
    ),
    (
        4,
        """
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY, posted_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, organisation VARCHAR NOT NULL,
            operation VARCHAR NOT NULL, text VARCHAR NOT NULL, question BOOLEAN NOT NULL, addressed_to VARCHAR,
            status VARCHAR, reply_to INTEGER, corrects INTEGER, change_set INTEGER NOT NULL
        );
        CREATE TABLE meetings (
            name VARCHAR PRIMARY KEY, day DATE NOT NULL, kind VARCHAR NOT NULL, state VARCHAR NOT NULL,
            scenario VARCHAR, participants VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL, change_set INTEGER NOT NULL
        );
        CREATE TABLE agenda_items (
            meeting VARCHAR NOT NULL, position INTEGER NOT NULL, operation VARCHAR, topic VARCHAR,
            PRIMARY KEY (meeting, position)
        );
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY, meeting VARCHAR NOT NULL, position INTEGER NOT NULL, operation VARCHAR,
            topic VARCHAR, kind VARCHAR NOT NULL, text VARCHAR NOT NULL, user_name VARCHAR NOT NULL,
            decided_at TIMESTAMP NOT NULL, scenario VARCHAR NOT NULL, scenario_version INTEGER NOT NULL,
            kpis VARCHAR NOT NULL, corrects INTEGER, reason VARCHAR, change_set INTEGER NOT NULL
        );
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY, decision INTEGER NOT NULL, meeting VARCHAR NOT NULL, operation VARCHAR,
            text VARCHAR NOT NULL, owner VARCHAR NOT NULL, due DATE NOT NULL, status VARCHAR NOT NULL,
            note VARCHAR, done_by VARCHAR, done_at TIMESTAMP
        );
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def apply_migrations(con: Connection) -> int:
    """Apply the migrations this database lacks; returns the version it had before."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    current = int(row[0]) if row and row[0] is not None else 0
    for version, sql in MIGRATIONS:
        if version > current:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
    return current
