"""Bulk reads and writes for `import` and `export`, in portable SQL.

An import streams validated rows into a temporary staging table (in chunks, inside the
caller's transaction), then resolves references and writes persons, employers, cases and
contacts with set-based INSERT ... SELECT / UPDATE ... FROM statements: memory stays flat
whatever the file's size, and nothing is written unless the caller commits.

References: a row names a record by its external id, or by ``capcli-<id>`` for a record that
has none (see ``capcli.domain.records.REF_PREFIX``).
"""

from __future__ import annotations

from capcli.domain import records
from capcli.domain.model import PERSON_FIELDS
from capcli.domain.records import ref_number as ref_num
from capcli.store import is_team
from capcli.store.engine import Store

CHUNK = 5000

# The staging tables follow the columns' declarations (capcli.domain.records: CASES, CONTACTS), then
# the fingerprints of the rows (for the duplicates with different data, see _firsts).
_STAGED_CASES = records.staged(records.CASES)
_STAGED_CONTACTS = records.staged(records.CONTACTS)
CASE_FINGERPRINTS = ("fp_case", "fp_person", "fp_employer")
STAGE_CASE_COLUMNS = ("line", *(s.name for s in _STAGED_CASES), *CASE_FINGERPRINTS)
STAGE_CONTACT_COLUMNS = ("line", *(s.name for s in _STAGED_CONTACTS), "fp")

# Missing values are staged as '' (or 0 / -1 for numbers): binding None is three times slower
# than binding a string in Python's sqlite3. The views below turn them back into NULLs.
_EMPTY = {s.name: s.empty for s in (*_STAGED_CASES, *_STAGED_CONTACTS) if s.empty is not None}


def _view(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(
        f"NULLIF({c}, {_EMPTY[c]}) AS {c}" if c in _EMPTY else c
        for c in columns
    )
    return f"(SELECT {cols} FROM {table})"


_INTEGER = {"line", *(s.name for s in (*_STAGED_CASES, *_STAGED_CONTACTS) if s.integer),
            *CASE_FINGERPRINTS, "fp"}


def _views():
    return _view("import_case", STAGE_CASE_COLUMNS), _view("import_contact", STAGE_CONTACT_COLUMNS)


def _ddl(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(
        f"{c} INTEGER PRIMARY KEY" if c == "line" else f"{c} {'INTEGER' if c in _INTEGER else 'TEXT'}"
        for c in columns
    )
    return f"CREATE TEMP TABLE {table} ({cols})"


def _case_id(ref: str, num: str) -> str:
    """SQL: the id of the case a (ref, ref number) pair names, or NULL."""
    return (
        f"COALESCE((SELECT a.id FROM accompaniment a WHERE a.external_id = {ref}), "
        f"(SELECT a.id FROM accompaniment a WHERE a.id = {num} AND a.external_id IS NULL))"
    )


def _person_id(ref: str, num: str) -> str:
    return (
        f"COALESCE((SELECT p.id FROM person p WHERE p.external_id = {ref}), "
        f"(SELECT p.id FROM person p WHERE p.id = {num} AND p.external_id IS NULL))"
    )


def _joined(table: str, alias: str, ref: str, num: str) -> tuple[str, str]:
    """The record of ``table`` a (ref, ref number) pair names, as two LEFT JOINs (``alias``x by its
    external id, ``alias``y by ``capcli-<id>``) and the SQL of its id (NULL: none): the same record
    as ``_case_id`` / ``_person_id``, found in one pass over the table instead of a look-up per row
    (a team store hash-joins them: the import's cases INSERT, 1.1 -> 0.7 s at 100,000 rows)."""
    x, y = f"{alias}x", f"{alias}y"
    return (f"LEFT JOIN {table} {x} ON {x}.external_id = {ref} "
            f"LEFT JOIN {table} {y} ON {y}.id = {num} AND {y}.external_id IS NULL",
            f"COALESCE({x}.id, {y}.id)")


CASES, CONTACTS = _views()


class Stage:
    """A temporary table filled chunk by chunk."""

    def __init__(self, store: Store, table: str, columns: tuple[str, ...]):
        self.store, self.table, self.columns = store, table, columns
        store.bulk_cache()
        store.execute(f"DROP TABLE IF EXISTS {table}")
        store.execute(_ddl(table, columns))
        self._sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        self._rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self._rows.append(row)
        if len(self._rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self.store.insert_rows(self.table, self.columns, self._sql, self._rows)
            self._rows = []

    def done(self) -> None:
        """The last rows written, and the table's statistics for the planner (a team store's)."""
        self.flush()
        self.store.analyze(self.table)


def stage_cases(store: Store) -> Stage:
    return Stage(store, "import_case", STAGE_CASE_COLUMNS)


def stage_contacts(store: Store) -> Stage:
    return Stage(store, "import_contact", STAGE_CONTACT_COLUMNS)


def _lines_table(store: Store, name: str, columns: str = "") -> None:
    """A new temp table of staged lines (``line``, then ``columns``), keyed by its line: SQLite's rowid;
    a team store fills it first, then indexes it in one sort (100,000 lines: 0.20 -> 0.13 s, index included)."""
    store.execute(f"DROP TABLE IF EXISTS {name}")
    store.execute(f"CREATE TEMP TABLE {name} (line INTEGER{'' if is_team(store) else ' PRIMARY KEY'}{columns})")


def _lines_filled(store: Store, name: str) -> None:
    if is_team(store):
        store.execute(f"CREATE UNIQUE INDEX {name}_line ON {name} (line)")
    store.analyze(name)  # (a team store: the statements below join it)


def _firsts(store: Store, name: str, table: str, key: str, fp: str, where: str = "", also: str = "") -> list[tuple[int, str, int]]:
    """Fill a temp table with the first line of each distinct ``key``; return the conflicts:
    (line, key, first line) of rows whose key was seen earlier with different data."""
    _lines_table(store, name, ", conflict INTEGER")
    store.execute(
        f"INSERT INTO {name} (line, conflict) SELECT MIN(line), CASE WHEN MIN({fp}) <> MAX({fp}) THEN 1 END "
        f"FROM {table} {where} GROUP BY {key}{', ' + also if also else ''}"
    )
    _lines_filled(store, name)  # (a team store: new_case, the persons and cases joined to it)
    if store.execute(f"SELECT 1 FROM {name} WHERE conflict = 1 LIMIT 1").fetchone() is None:
        return []
    rows = store.execute(
        f"SELECT s.line, s.{key}, f.line FROM {name} m JOIN {table} f ON f.line = m.line "
        f"JOIN {table} s ON s.{key} = f.{key}{f' AND s.{also} = f.{also}' if also else ''} WHERE m.conflict = 1 AND s.{fp} <> f.{fp} ORDER BY s.line"
    )
    return [tuple(r) for r in rows]


# --- cases --------------------------------------------------------------------------


def duplicate_persons(store: Store) -> dict[str, list]:
    """The persons a file would create that are an exact duplicate (names, accents and case aside,
    and birth date: ``capcli.domain.identity.same_person_key``) of a person of the store not
    anonymised, or of another person of the file."""
    from capcli.store.queries import enable_fold

    enable_fold(store)
    store.execute("DROP TABLE IF EXISTS new_person_key")
    person, person_id = _joined("person", "p", "s.person_ref", "s.person_num")
    store.execute(
        "CREATE TEMP TABLE new_person_key AS SELECT s.line, s.person_ref, s.last_name, s.first_name, "
        "capcli_fold(s.last_name) AS l, capcli_fold(s.first_name) AS f, s.birth_date AS b "
        f"FROM {CASES} s JOIN first_person m ON m.line = s.line {person} "
        f"WHERE s.birth_date IS NOT NULL AND {person_id} IS NULL"
    )
    found = {"person_ref:twice": [tuple(r) for r in store.execute(
        "SELECT n.line, n.person_ref, m.line, m.person_ref FROM new_person_key n "
        "JOIN (SELECT l, f, b, MIN(line) AS line FROM new_person_key GROUP BY l, f, b HAVING COUNT(*) > 1) d "
        "ON d.l = n.l AND d.f = n.f AND d.b = n.b JOIN new_person_key m ON m.line = d.line "
        "WHERE n.line <> d.line ORDER BY n.line")]}
    if store.execute("SELECT 1 FROM person WHERE anonymised_on IS NULL AND birth_date IS NOT NULL LIMIT 1").fetchone():
        found["person_ref:duplicate"] = [tuple(r) for r in store.execute(
            "SELECT * FROM (SELECT n.line, n.person_ref, n.last_name, n.first_name, n.b, "
            "(SELECT MIN(p.id) FROM person p WHERE p.birth_date = n.b AND p.anonymised_on IS NULL "
            " AND capcli_fold(p.last_name) = n.l AND capcli_fold(p.first_name) = n.f) AS pid "
            "FROM new_person_key n) d WHERE d.pid IS NOT NULL ORDER BY d.line")]
    return found


def check_cases(store: Store) -> dict[str, list]:
    """Cross-row checks of staged cases: conflicting duplicates and unknown follows refs."""
    # (key, fingerprint) indexes cover SQLite's GROUP BYs of _firsts (line is the rowid, in every index);
    # a team store hash-aggregates without them (100,000 rows: 0.25 s to build them, for nothing)
    if not is_team(store):
        store.execute("CREATE INDEX import_case_ref ON import_case (ref, fp_case)")
        store.execute("CREATE INDEX import_case_person ON import_case (person_ref, fp_person)")
        store.execute("CREATE INDEX import_case_siret ON import_case (siret, fp_employer)")
    conflicts = {
        "case_ref": _firsts(store, "first_case", "import_case", "ref", "fp_case"),
        "person_ref": _firsts(store, "first_person", "import_case", "person_ref", "fp_person"),
        "employer_siret": _firsts(store, "first_employer", "import_case", "siret", "fp_employer",
                                  "WHERE siret <> ''"),
    }
    unknown_follows = store.execute(
        f"SELECT s.line, s.follows_ref FROM {CASES} s WHERE s.follows_ref IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {CASES} t WHERE t.ref = s.follows_ref) "
        f"AND {_case_id('s.follows_ref', 's.follows_num')} IS NULL ORDER BY s.line"
    ).fetchall()
    conflicts["follows_ref"] = [tuple(r) for r in unknown_follows]
    # What the rows would change in the store's records (the first row of each):
    person_id = _person_id("s.person_ref", "s.person_num")
    differs = _may_change("p", "s", PERSON_FIELDS)
    conflicts["person_ref:anonymised"] = [tuple(r) for r in store.execute(
        f"SELECT s.line, s.person_ref, p.anonymised_on FROM {CASES} s JOIN person p ON p.id = {person_id} "
        f"WHERE s.line IN (SELECT line FROM first_person) AND p.anonymised_on IS NOT NULL AND ({differs}) "
        "ORDER BY s.line"
    )]
    # capcli-<id> names a record of the store the file was exported from: in another store, the same
    # id is somebody else (both names differ) or another case (another kind)
    conflicts["person_ref:elsewhere"] = [tuple(r) for r in store.execute(
        f"SELECT s.line, s.person_ref, p.last_name, p.first_name FROM {CASES} s "
        "JOIN person p ON p.id = s.person_num AND p.external_id IS NULL "
        "WHERE s.line IN (SELECT line FROM first_person) AND p.anonymised_on IS NULL "
        "AND lower(p.last_name) <> lower(s.last_name) AND lower(p.first_name) <> lower(s.first_name) "
        "ORDER BY s.line"
    )]
    conflicts["case_ref:elsewhere"] = [tuple(r) for r in store.execute(
        f"SELECT s.line, s.ref, a.kind FROM {CASES} s "
        "JOIN accompaniment a ON a.id = s.ref_num AND a.external_id IS NULL "
        "WHERE s.line IN (SELECT line FROM first_case) AND a.kind <> s.kind ORDER BY s.line"
    )]
    return conflicts


_CASE_FIELDS = ("kind", "phase", "opened_on", "closed_on", "outcome", "at_risk", "adviser", "requested_by",
                "partner", "consent", "signalement_by", "signalement_on")
_CASE_DEFAULTS = {"requested_by": "'personne'", "consent": "0", "at_risk": "0"}  # for an empty cell


def _may_change(table: str, source: str, pairs) -> str:
    """SQL: a cell of the file (not empty) differs from the stored value; ``pairs`` of (stored, file)
    expressions, or plain field names for the same name on both sides."""
    pairs = [(f"{table}.{p}", f"{source}.{p}") if isinstance(p, str) else p for p in pairs]
    return " OR ".join(f"({new} IS NOT NULL AND {old} IS DISTINCT FROM {new})" for old, new in pairs)


_LOADED_TABLES = ("person", "accompaniment", "event")


def write_cases(store: Store, *, today: str, recorded_at: str, author: str) -> dict[str, dict[str, int]]:
    """Create the staged (and checked) cases, persons and employers the store lacks; counts of
    what was created. What the rows change in records already stored is ``case_plans`` & co."""
    firsts = {t: store.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("first_case", "first_person", "first_employer")}
    in_store = store.execute("SELECT COALESCE(MAX(id), 0) FROM accompaniment").fetchone()[0]
    new_cases = store.execute("SELECT COUNT(*) FROM new_case").fetchone()[0]
    if new_cases and new_cases >= in_store:  # the load at least doubles the store
        with store.indexes_deferred(_LOADED_TABLES):
            return _write_cases(store, firsts, today=today, recorded_at=recorded_at, author=author)
    return _write_cases(store, firsts, today=today, recorded_at=recorded_at, author=author)


def mark_new_cases(store: Store) -> None:
    """new_case: the lines whose case the store does not hold yet (before anything is written)."""
    _lines_table(store, "new_case")
    case, case_id = _joined("accompaniment", "a", "s.ref", "s.ref_num")
    store.execute(
        f"INSERT INTO new_case (line) SELECT s.line FROM {CASES} s JOIN first_case f ON f.line = s.line "
        f"{case} WHERE {case_id} IS NULL"
    )
    _lines_filled(store, "new_case")  # (a team store: the writes below join it, 0.7 -> 0.3 s at 100,000 rows)


def _write_cases(store: Store, firsts: dict[str, int], *, today: str, recorded_at: str,
                 author: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    created = store.execute(
        "INSERT INTO employer (siret, name, sector, created_on) "
        f"SELECT s.siret, s.employer_name, s.sector, ? FROM {CASES} s "
        "WHERE s.line IN (SELECT line FROM first_employer) "
        "AND NOT EXISTS (SELECT 1 FROM employer e WHERE e.siret = s.siret) ORDER BY s.line",
        (today,),
    ).rowcount
    counts["employers"] = {"created": created, "total": firsts["first_employer"]}

    # persons, by external id (or capcli-<id>)
    person_id = _person_id("s.person_ref", "s.person_num")
    fields = ", ".join(PERSON_FIELDS)
    source = ", ".join("COALESCE(s.rqth_definitive, 0)" if f == "rqth_definitive" else f"s.{f}"
                       for f in PERSON_FIELDS)
    new_person = f"s.line IN (SELECT line FROM first_person) AND {person_id} IS NULL"
    created = store.execute(  # capcli-<id> refs keep their id when it is free
        f"INSERT INTO person (id, {fields}, created_on) SELECT s.person_num, {source}, ? FROM {CASES} s "
        f"WHERE {new_person} AND s.person_num IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = s.person_num) ORDER BY s.line",
        (today,),
    ).rowcount
    person, joined_id = _joined("person", "p", "s.person_ref", "s.person_num")
    created += store.execute(
        f"INSERT INTO person (external_id, {fields}, created_on) SELECT s.person_ref, {source}, ? "
        f"FROM {CASES} s JOIN first_person f ON f.line = s.line {person} WHERE {joined_id} IS NULL ORDER BY s.line",
        (today,),
    ).rowcount
    counts["persons"] = {"created": created, "total": firsts["first_person"]}

    store.analyze("person", "employer")  # what was just written is looked up by every case below
    # cases, by external id (or capcli-<id>)
    case_id = _case_id("s.ref", "s.ref_num")
    fields = ", ".join(_CASE_FIELDS)
    source = ", ".join(f"COALESCE(s.{f}, {_CASE_DEFAULTS[f]})" if f in _CASE_DEFAULTS else f"s.{f}"
                       for f in _CASE_FIELDS)
    person, person_id = _joined("person", "p", "s.person_ref", "s.person_num")
    person += " LEFT JOIN employer e ON e.siret = s.siret"
    created = store.execute(
        f"INSERT INTO accompaniment (id, {fields}, person_id, employer_id) "
        f"SELECT s.ref_num, {source}, {person_id}, e.id "
        f"FROM {CASES} s JOIN new_case n ON n.line = s.line {person} WHERE s.ref_num IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM accompaniment a WHERE a.id = s.ref_num) ORDER BY s.line"
    ).rowcount
    created += store.execute(
        f"INSERT INTO accompaniment (external_id, {fields}, person_id, employer_id) "
        f"SELECT s.ref, {source}, {person_id}, e.id "
        f"FROM {CASES} s JOIN new_case n ON n.line = s.line {person} "
        "WHERE NOT EXISTS (SELECT 1 FROM accompaniment a WHERE a.id = s.ref_num AND a.external_id IS NULL) "
        "ORDER BY s.line"
    ).rowcount
    store.analyze("accompaniment")
    store.execute(
        "UPDATE accompaniment SET follows_id = r.fid "
        f"FROM (SELECT {case_id} AS cid, {_case_id('s.follows_ref', 's.follows_num')} AS fid "
        f"      FROM {CASES} s JOIN new_case n ON n.line = s.line WHERE s.follows_ref IS NOT NULL) r "
        "WHERE accompaniment.id = r.cid"
    )
    case, joined_id = _joined("accompaniment", "a", "s.ref", "s.ref_num")
    store.execute(
        "INSERT INTO event (case_id, on_date, recorded_at, author, action, detail) "
        f"SELECT {joined_id}, s.opened_on, ?, ?, 'imported', s.kind "
        f"FROM {CASES} s JOIN new_case n ON n.line = s.line {case} ORDER BY s.line",
        (recorded_at, author),
    )
    counts["cases"] = {"created": created, "total": firsts["first_case"]}
    return counts


# --- what rows change in stored records ----------------------------------------------------
# Each *_candidates query returns, for the first row of each record the store already holds and
# whose cells may change it, (line, ref, stored id, stored values..., file values...): the
# domain (capcli.domain.merge) decides what changes; the apply_* functions write it.

def _ref(alias: str) -> str:
    return f"COALESCE({alias}.external_id, 'capcli-' || CAST({alias}.id AS TEXT))"


_STORED_CASE = {
    "kind": "a.kind", "phase": "a.phase", "opened_on": "a.opened_on", "closed_on": "a.closed_on",
    "outcome": "a.outcome", "at_risk": "a.at_risk", "follows_ref": f"CASE WHEN f.id IS NULL THEN NULL ELSE {_ref('f')} END",
    "adviser": "a.adviser", "requested_by": "a.requested_by", "partner": "a.partner", "consent": "a.consent",
    "person_ref": _ref("p"), "employer_siret": "e.siret",
    "signalement_by": "a.signalement_by", "signalement_on": "a.signalement_on",
}
_FILE_CASE = {"employer_siret": "s.siret"}


def case_candidates(store: Store, fields: tuple[str, ...]):
    """Rows of cases already stored: (line, ref, id, cancelled_on, *stored fields, *file fields)."""
    stored = [_STORED_CASE[f] for f in fields]
    given = [_FILE_CASE.get(f, f"s.{f}") for f in fields]
    return store.execute(
        f"SELECT s.line, s.ref, a.id, a.cancelled_on, {', '.join(stored)}, {', '.join(given)} FROM {CASES} s "
        f"JOIN accompaniment a ON a.id = {_case_id('s.ref', 's.ref_num')} "
        "JOIN person p ON p.id = a.person_id LEFT JOIN employer e ON e.id = a.employer_id "
        "LEFT JOIN accompaniment f ON f.id = a.follows_id "
        "WHERE s.line IN (SELECT line FROM first_case) AND s.line NOT IN (SELECT line FROM new_case) "
        f"AND ({_may_change('a', 's', list(zip(stored, given)))} "
        "OR (a.closed_on IS NOT NULL AND s.closed_on IS NULL)) ORDER BY s.line"  # a closed case open in the file
    )


def person_candidates(store: Store):
    """Rows of persons already stored (not anonymised): (line, ref, id, *stored, *file PERSON_FIELDS)."""
    person_id = _person_id("s.person_ref", "s.person_num")
    return store.execute(
        f"SELECT s.line, s.person_ref, p.id, {', '.join(f'p.{f}' for f in PERSON_FIELDS)}, "
        f"{', '.join(f's.{f}' for f in PERSON_FIELDS)} FROM {CASES} s JOIN person p ON p.id = {person_id} "
        "WHERE s.line IN (SELECT line FROM first_person) AND p.anonymised_on IS NULL "
        f"AND ({_may_change('p', 's', PERSON_FIELDS)}) ORDER BY s.line"
    )


EMPLOYER_FIELDS = ("employer_name", "employer_sector")  # the cases file's employer cells an import may change
_COLUMN_OF = {"employer_name": "name", "employer_sector": "sector"}  # their columns in the employer table


def employer_candidates(store: Store):
    """(line, siret, id, *stored, *file EMPLOYER_FIELDS)."""
    return store.execute(
        f"SELECT s.line, s.siret, e.id, e.name, e.sector, s.employer_name, s.sector FROM {CASES} s "
        "JOIN employer e ON e.siret = s.siret WHERE s.line IN (SELECT line FROM first_employer) "
        "AND (e.name <> s.employer_name OR e.sector <> s.sector) ORDER BY s.line"
    )


CONTACT_FIELDS = ("due_on", "done_on", "at_risk", "note")  # the contacts file's cells an import may change


def contact_candidates(store: Store):
    """(line, case ref, number, contact id, case id, *stored, *file CONTACT_FIELDS)."""
    case, case_id = _joined("accompaniment", "a", "s.ref", "s.ref_num")
    return store.execute(
        f"SELECT r.line, r.ref, r.number, k.id, k.case_id, {', '.join(f'k.{f}' for f in CONTACT_FIELDS)}, "
        f"{', '.join(f'r.{f}' for f in CONTACT_FIELDS)} "
        f"FROM (SELECT s.*, {case_id} AS cid FROM {CONTACTS} s JOIN first_contact f ON f.line = s.line {case}) r "
        "JOIN contact k ON k.id = (SELECT MIN(c.id) FROM contact c WHERE c.case_id = r.cid AND c.number = r.number) "
        f"WHERE {_may_change('k', 'r', CONTACT_FIELDS)} ORDER BY r.line"
    )


_CASE_SET = {
    "employer_siret": ("employer_id", "(SELECT id FROM employer WHERE siret = ?)"),
    "follows_ref": ("follows_id", _case_id("?", "?")),
}


def apply_case(store: Store, case_id: int, changes: list[tuple[str, object]], *, on: str, recorded_at: str,
               author: str, detail: str) -> None:
    """Write one case's changes (field, new value) and journal them on the case."""
    sets, params = [], []
    for field, value in changes:
        column, expr = _CASE_SET.get(field, (field, "?"))
        sets.append(f"{column} = {expr}")
        if field == "follows_ref":
            params += [value, ref_num(value) or 0]
        else:
            params.append(value)
    store.execute(f"UPDATE accompaniment SET {', '.join(sets)} WHERE id = ?", (*params, case_id))
    journal(store, case_id, on=on, recorded_at=recorded_at, author=author, detail=detail)


def apply_record(store: Store, table: str, record_id: int, changes: list[tuple[str, object]]) -> None:
    """Write one person's, employer's or contact's changes (field of the file, new value)."""
    store.execute(f"UPDATE {table} SET {', '.join(f'{_COLUMN_OF.get(c, c)} = ?' for c, _v in changes)} WHERE id = ?",
                  (*[v for _c, v in changes], record_id))


def journal(store: Store, case_id: int, *, on: str, recorded_at: str, author: str, detail: str) -> None:
    store.execute(
        "INSERT INTO event (case_id, on_date, recorded_at, author, action, detail) "
        "VALUES (?, ?, ?, ?, 'import-updated', ?)", (case_id, on, recorded_at, author, detail))


# --- contacts -----------------------------------------------------------------------


def check_contacts(store: Store) -> dict[str, list]:
    store.execute("CREATE INDEX import_contact_key ON import_contact (ref, number)")
    conflicts = _firsts(store, "first_contact", "import_contact", "ref", "fp", also="number")
    case, case_id = _joined("accompaniment", "a", "s.ref", "s.ref_num")
    unknown = store.execute(
        f"SELECT s.line, s.ref FROM {CONTACTS} s {case} WHERE {case_id} IS NULL ORDER BY s.line"
    ).fetchall()
    cancelled = store.execute(
        f"SELECT s.line, s.ref, a.cancelled_on FROM {CONTACTS} s {case} JOIN accompaniment a "
        f"ON a.id = {case_id} WHERE a.cancelled_on IS NOT NULL ORDER BY s.line"
    ).fetchall()
    return {"number": [tuple(r) for r in conflicts], "case_ref": [tuple(r) for r in unknown],
            "case_ref:cancelled": [tuple(r) for r in cancelled]}


def write_contacts(store: Store) -> dict[str, dict[str, int]]:
    """Create the staged contacts the store lacks."""
    total = store.execute("SELECT COUNT(*) FROM first_contact").fetchone()[0]
    case, case_id = _joined("accompaniment", "a", "s.ref", "s.ref_num")
    fields = ", ".join(CONTACT_FIELDS)
    created = store.execute(
        f"INSERT INTO contact (case_id, number, {fields}) SELECT r.cid, r.number, "
        f"{', '.join(f'r.{f}' for f in CONTACT_FIELDS)} FROM ("
        f"SELECT s.*, {case_id} AS cid FROM {CONTACTS} s JOIN first_contact f ON f.line = s.line {case}) r "
        "WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.case_id = r.cid AND c.number = r.number) ORDER BY r.line"
    ).rowcount
    return {"contacts": {"created": created, "total": total}}


def contact_cases(store: Store) -> list[tuple[int, int]]:
    """(case id, first line) of the cases the staged contacts belong to."""
    case, case_id = _joined("accompaniment", "a", "s.ref", "s.ref_num")
    return [tuple(r) for r in store.execute(
        f"SELECT cid, MIN(line) FROM (SELECT {case_id} AS cid, s.line FROM {CONTACTS} s {case}) c GROUP BY cid ORDER BY 2"
    )]


# --- exports ------------------------------------------------------------------------


def _filters(since: str | None, adviser: str | None, *, since_sql: str, adviser_sql: str,
             live: bool = True) -> tuple[str, list]:
    """The WHERE clause of an export: ``since_sql`` (its ``?`` all take the date) and ``adviser_sql``;
    ``live``: the case ``c`` was not cancelled (a case opened by mistake is not part of the caseload)."""
    where, params = (["c.cancelled_on IS NULL"] if live else []), []
    if since:
        where.append(since_sql)
        params += [since] * since_sql.count("?")
    if adviser:
        where.append(adviser_sql)
        params.append(adviser)
    return (" WHERE " + " AND ".join(where)) if where else "", params


# The SQL expression of each exported column (declared in capcli.domain.records.DECLARED, with the
# report's tables aliased as the functions below alias them); a test checks both name the same columns.
EXPORT_SQL = {
    "cases": {
        "case_ref": _ref("c"), "kind": "c.kind", "phase": "c.phase", "opened_on": "c.opened_on",
        "closed_on": "c.closed_on", "outcome": "c.outcome", "at_risk": "c.at_risk",
        "follows_ref": f"CASE WHEN f.id IS NULL THEN NULL ELSE {_ref('f')} END", "adviser": "c.adviser",
        "requested_by": "c.requested_by", "partner": "c.partner", "consent": "c.consent",
        "person_ref": _ref("p"), **{f: f"p.{f}" for f in PERSON_FIELDS},
        "employer_siret": "e.siret", "employer_name": "e.name", "employer_sector": "e.sector",
        "signalement_by": "c.signalement_by", "signalement_on": "c.signalement_on",
        # with --include-health (the latest diagnostic, joined as d)
        "disability_type": "d.disability_type", "restrictions": "d.restrictions", "health_opinion": "d.health_opinion",
    },
    "contacts": {
        "case_ref": _ref("c"), "number": "k.number", "due_on": "k.due_on", "done_on": "k.done_on",
        "at_risk": "k.at_risk", "note": "k.note",
    },
    "needs": {
        "case_ref": _ref("c"), "category": "n.category", "description": "n.description", "funder": "n.funder",
        "amount": "n.amount_cents", "status": "n.status", "created_on": "n.created_on", "updated_on": "n.updated_on",
    },
    "persons": {
        "person_ref": _ref("p"), **{f: f"p.{f}" for f in PERSON_FIELDS}, "created_on": "p.created_on",
        "anonymised_on": "p.anonymised_on",
    },
}


def _select(report: str, columns: tuple[str, ...]) -> str:
    sql = EXPORT_SQL[report]
    return "SELECT " + ", ".join(f"{sql[c]} AS {c}" for c in columns)


def _case_filters(since: str | None, adviser: str | None) -> tuple[str, list]:
    return _filters(since, adviser, since_sql="(c.opened_on >= ? OR c.closed_on >= ?)", adviser_sql="c.adviser = ?")


def count_cases(store: Store, *, since: str | None, adviser: str | None) -> tuple[int, int]:
    """The cases an export of cases holds, and their persons."""
    where, params = _case_filters(since, adviser)
    return tuple(store.execute(f"SELECT COUNT(*), COUNT(DISTINCT c.person_id) FROM accompaniment c{where}",
                               params).fetchone())


def export_cases(store: Store, columns: tuple[str, ...], *, since: str | None, adviser: str | None):
    """``columns``: records.CASE_COLUMNS, then the HEALTH_COLUMNS for an export with health data."""
    where, params = _case_filters(since, adviser)
    health_join = ""
    if any(c in columns for c in records.HEALTH_COLUMNS):
        health_join = (
            " LEFT JOIN diagnostic d ON d.id = (SELECT d2.id FROM diagnostic d2 WHERE d2.case_id = c.id "
            "ORDER BY d2.on_date DESC, d2.id DESC LIMIT 1)"
        )
    return store.execute(
        f"{_select('cases', columns)} "
        "FROM accompaniment c JOIN person p ON p.id = c.person_id "
        "LEFT JOIN employer e ON e.id = c.employer_id LEFT JOIN accompaniment f ON f.id = c.follows_id"
        f"{health_join}{where} ORDER BY case_ref",
        params,
    )


def export_contacts(store: Store, columns: tuple[str, ...], *, since: str | None, adviser: str | None):
    clause, params = _filters(since, adviser, since_sql="(k.due_on >= ? OR k.done_on >= ?)",
                              adviser_sql="c.adviser = ?")
    return store.execute(
        f"{_select('contacts', columns)} "
        f"FROM contact k JOIN accompaniment c ON c.id = k.case_id{clause} ORDER BY case_ref, k.number, k.id",
        params,
    )


def export_needs(store: Store, columns: tuple[str, ...], *, since: str | None, adviser: str | None):
    clause, params = _filters(since, adviser, since_sql="n.updated_on >= ?", adviser_sql="c.adviser = ?")
    return store.execute(
        f"{_select('needs', columns)} FROM need n JOIN accompaniment c ON c.id = n.case_id{clause} "
        "ORDER BY case_ref, n.id",
        params,
    )


def export_persons(store: Store, columns: tuple[str, ...], *, since: str | None, adviser: str | None):
    clause, params = _filters(
        since, adviser, since_sql="p.created_on >= ?",
        adviser_sql="EXISTS (SELECT 1 FROM accompaniment c WHERE c.person_id = p.id AND c.adviser = ?)", live=False,
    )
    return store.execute(
        f"{_select('persons', columns)} FROM person p{clause} ORDER BY person_ref",
        params,
    )
