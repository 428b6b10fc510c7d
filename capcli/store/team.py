"""Who may read and change what on a team store: PostgreSQL roles, grants, row-level security and
guard triggers, created by `capcli team init` (run once by the database's administrator).

- ``capcli_adviser`` and ``capcli_manager`` are NOLOGIN group roles; ``capcli_manager`` is a member of
  ``capcli_adviser`` (a manager has every right of an adviser, and more). Each person logs in as their
  own login, a member of one of them (`capcli team add`). Roles are the cluster's, not the
  database's: two stores on one cluster share these two roles and their members.
- The tables belong to a NOLOGIN role that no login is a member of (``capcli_owner`` when they were
  owned by a login or by a role with members): a table's owner may lift its own policies.
- Every table has ROW LEVEL SECURITY enabled and FORCEd. An adviser reads everything (continuity of
  service) but the ``diagnostic`` rows of cases they do not hold and never held (``capcli_held``);
  writes on a case (the case, its contacts, needs, measures, diagnostic, journal) are the holder's or
  a manager's. Policies give the rows; BEFORE triggers, which see the old row too, refuse with one
  clear message (an UPDATE that a policy alone hides does nothing, silently): moving a case to
  another adviser, the settings, an anonymisation (purge), the journal's rewriting and the registry
  of advisers are a manager's.

Every refusal is SQLSTATE 42501 with a DETAIL ``capcli:…`` that ``refusal`` turns into one line.
Nothing here is used on a local store (SQLite has one user).
"""

from __future__ import annotations

from capcli.i18n import _
from capcli.store import is_team

ADVISER, MANAGER, OWNER = "capcli_adviser", "capcli_manager", "capcli_owner"
ROLES = {"adviser": ADVISER, "manager": MANAGER}

# Which rows an adviser writes, per table (the policies' WITH CHECK; a manager writes every row).
MINE = "adviser = session_user"
HELD_CASE = "capcli_holds(case_id)"
WRITES = {
    "capcli_meta": None,  # read only: the schema's version, changed by an upgrade (the administrator)
    "setting": "false",  # a manager's
    "adviser": "false",  # a manager's (`team add`, `adviser add`)
    "person": "true", "employer": "true", "rqth_renewal": "true",  # the agency's shared records
    "audit": "author = session_user",
    "accompaniment": MINE,
    "event": f"author = session_user AND {HELD_CASE}",
    "contact": HELD_CASE, "need": HELD_CASE, "measure": HELD_CASE, "diagnostic": HELD_CASE,
    "access_log": "author = session_user",  # issue 17 item 3: applied when the table exists
}
GRANTS = {
    "capcli_meta": "SELECT", "setting": "SELECT, INSERT, UPDATE, DELETE", "adviser": "SELECT, INSERT",
    "person": "SELECT, INSERT, UPDATE", "employer": "SELECT, INSERT, UPDATE", "rqth_renewal": "SELECT, INSERT, UPDATE",
    "audit": "SELECT, INSERT", "accompaniment": "SELECT, INSERT, UPDATE", "event": "SELECT, INSERT, UPDATE",
    "contact": "SELECT, INSERT, UPDATE, DELETE", "need": "SELECT, INSERT, UPDATE, DELETE",
    "measure": "SELECT, INSERT, UPDATE, DELETE", "diagnostic": "SELECT, INSERT, UPDATE, DELETE",
    "access_log": "SELECT, INSERT, DELETE",
}
# Which rows an adviser reads (a manager reads every row): health data only of the cases they hold or held.
READS = {"diagnostic": "capcli_held(case_id)",
         "access_log": "author = session_user OR (case_id IS NOT NULL AND capcli_held(case_id))"}
CASE_TABLES = ("event", "contact", "need", "measure", "diagnostic")
# Tables a manager alone changes, and what the refusal names.
MANAGER_TABLES = {"setting": "settings", "adviser": "adviser add", "access_log": "purge"}

SAFE_PATH = "SET search_path = {schema}, pg_catalog, pg_temp"  # no caller's table or function in a check

FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION capcli_is_manager() RETURNS boolean LANGUAGE sql STABLE {path}
       AS $$ SELECT pg_has_role(session_user, 'capcli_manager', 'USAGE') $$""",
    # the case's adviser now
    """CREATE OR REPLACE FUNCTION capcli_holds(bigint) RETURNS boolean LANGUAGE sql STABLE {path}
       AS $$ SELECT EXISTS (SELECT 1 FROM accompaniment WHERE id = $1 AND adviser = session_user) $$""",
    # ... or before: the author of an event of the case (only its holder or a manager writes one),
    # or either side of a `reassigned` event ("old -> new")
    """CREATE OR REPLACE FUNCTION capcli_held(bigint) RETURNS boolean LANGUAGE sql STABLE {path}
       AS $$ SELECT capcli_holds($1) OR EXISTS (
              SELECT 1 FROM event e WHERE e.case_id = $1 AND (e.author = session_user OR (e.action = 'reassigned'
              AND session_user IN (split_part(e.detail, ' -> ', 1), split_part(e.detail, ' -> ', 2))))) $$""",
    # how many revisions a case's diagnostic has, read or not (`show` says one exists that is not yours)
    """CREATE OR REPLACE FUNCTION capcli_diagnostic_revisions(bigint) RETURNS bigint LANGUAGE sql STABLE
       SECURITY DEFINER {path} AS $$ SELECT COUNT(*) FROM diagnostic WHERE case_id = $1 $$""",
    """CREATE OR REPLACE FUNCTION capcli_guard_case() RETURNS trigger LANGUAGE plpgsql {path} AS $$
       DECLARE v_cases bigint[] := '{{}}'; v_case bigint; v_holder text;
       BEGIN
         IF capcli_is_manager() THEN
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
         END IF;
         IF TG_TABLE_NAME = 'event' THEN  -- (nested: PL/pgSQL does not promise to stop at a false AND)
           IF TG_OP <> 'INSERT' THEN
             RAISE EXCEPTION 'only a manager rewrites the journal (capcli purge)'
               USING ERRCODE = '42501', DETAIL = 'capcli:manager:purge';
           END IF;
           IF NEW.action = 'reassigned' THEN
             RAISE EXCEPTION 'only a manager reassigns a case' USING ERRCODE = '42501',
               DETAIL = 'capcli:manager:reassign';
           END IF;
         END IF;
         IF TG_OP <> 'DELETE' THEN v_cases := v_cases || NEW.case_id; END IF;
         IF TG_OP <> 'INSERT' THEN v_cases := v_cases || OLD.case_id; END IF;
         FOREACH v_case IN ARRAY v_cases LOOP
           SELECT adviser INTO v_holder FROM accompaniment WHERE id = v_case;
           IF v_holder IS DISTINCT FROM session_user THEN
             RAISE EXCEPTION 'case % is %''s: only its adviser or a manager changes it', v_case, v_holder
               USING ERRCODE = '42501', DETAIL = format('capcli:case:%s:%s', v_case, v_holder);
           END IF;
         END LOOP;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
    """CREATE OR REPLACE FUNCTION capcli_guard_accompaniment() RETURNS trigger LANGUAGE plpgsql {path} AS $$
       BEGIN
         IF capcli_is_manager() THEN RETURN NEW; END IF;
         IF TG_OP = 'INSERT' THEN
           IF NEW.adviser IS DISTINCT FROM session_user THEN
             RAISE EXCEPTION 'an adviser opens a case for themself only (a manager opens one for %)', NEW.adviser
               USING ERRCODE = '42501', DETAIL = format('capcli:open:%s', NEW.adviser);
           END IF;
         ELSIF OLD.adviser IS DISTINCT FROM session_user THEN
           RAISE EXCEPTION 'case % is %''s: only its adviser or a manager changes it', OLD.id, OLD.adviser
             USING ERRCODE = '42501', DETAIL = format('capcli:case:%s:%s', OLD.id, OLD.adviser);
         ELSIF NEW.adviser IS DISTINCT FROM OLD.adviser THEN
           RAISE EXCEPTION 'only a manager reassigns a case' USING ERRCODE = '42501', DETAIL = 'capcli:manager:reassign';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE OR REPLACE FUNCTION capcli_guard_manager() RETURNS trigger LANGUAGE plpgsql {path} AS $$
       BEGIN
         IF NOT capcli_is_manager() THEN
           RAISE EXCEPTION 'only a manager may: %', TG_ARGV[0]
             USING ERRCODE = '42501', DETAIL = 'capcli:manager:' || TG_ARGV[0];
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
]

# `team add`: creating a login and granting it a capcli role needs CREATEROLE, which a manager does not
# have: this function, owned by the administrator who ran `team init`, does only that, for a manager.
TEAM_ADD = """CREATE OR REPLACE FUNCTION capcli_team_add(p_login text, p_manager boolean) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
    DECLARE r record; v_done text := 'granted';
    BEGIN
      IF NOT pg_has_role(session_user, 'capcli_manager', 'USAGE') THEN
        RAISE EXCEPTION 'only a manager may: team add' USING ERRCODE = '42501', DETAIL = 'capcli:manager:team add';
      END IF;
      SELECT rolcanlogin, rolsuper INTO r FROM pg_roles WHERE rolname = p_login;
      IF NOT FOUND THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_login);
        v_done := 'created';
      ELSIF NOT r.rolcanlogin OR r.rolsuper THEN
        RAISE EXCEPTION '% is not an ordinary login', p_login USING ERRCODE = '42501',
          DETAIL = 'capcli:not-login:' || p_login;
      END IF;
      EXECUTE format('GRANT %I TO %I', CASE WHEN p_manager THEN 'capcli_manager' ELSE 'capcli_adviser' END, p_login);
      RETURN v_done;
    END $$"""

FUNCTION_SIGNATURES = ("capcli_team_add(text, boolean)", "capcli_is_manager()", "capcli_holds(bigint)",
                       "capcli_held(bigint)", "capcli_diagnostic_revisions(bigint)", "capcli_guard_case()",
                       "capcli_guard_accompaniment()", "capcli_guard_manager()")


def enforced(store) -> bool:
    """Whether `team init` secured this store (a team store whose policies exist); never a local one."""
    if not is_team(store):
        return False
    known = getattr(store, "_roles_enforced", None)
    if known is None:
        known = bool(store.execute("SELECT to_regprocedure('capcli_is_manager()') IS NOT NULL").fetchone()[0])
        store._roles_enforced = known
    return known


def is_manager(store) -> bool:
    return bool(store.execute("SELECT capcli_is_manager()").fetchone()[0])


def hidden_revisions(store, case_id: int) -> int:
    """The revisions of a case's diagnostic the login may not read (0 on a store without roles)."""
    if not enforced(store):
        return 0
    return int(store.execute("SELECT capcli_diagnostic_revisions(?) - (SELECT COUNT(*) FROM diagnostic "
                             "WHERE case_id = ?)", (case_id, case_id)).fetchone()[0])


def members(store) -> dict[str, str]:
    """{login: 'manager' | 'adviser'} of the logins that are members of a capcli role (the cluster's)."""
    rows = store.execute(
        "SELECT m.rolname, MAX(CASE WHEN g.rolname = ? THEN 1 ELSE 0 END) FROM pg_auth_members a "
        "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
        "WHERE g.rolname IN (?, ?) AND m.rolname <> ? GROUP BY m.rolname", (MANAGER, ADVISER, MANAGER, MANAGER))
    return {name: "manager" if manager else "adviser" for name, manager in rows}


def add_login(store, login: str, role: str) -> str:
    """Create ``login`` (or take the existing one) and grant it the capcli role: 'created' or 'granted'."""
    return store.execute("SELECT capcli_team_add(?, ?)", (login, role == "manager")).fetchone()[0]


# --- team init ---------------------------------------------------------------------------


def administrator_problem(store) -> str | None:
    """Why the login cannot run `team init` (None when it can: a superuser or a role with CREATEROLE)."""
    row = store.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()
    if row and (row[0] or row[1]):
        return None
    return _("'capcli team init' is run by the database's administrator (a superuser, or a role with CREATEROLE "
             "that may change the tables' owner): {login} is neither").format(login=store.login)


def init(store) -> dict:
    """Roles, owner, grants, row-level security, policies and triggers of the store (run again: the same
    result; after an upgrade that adds a table, run it again). Inside the caller's transaction."""
    from psycopg import sql

    run = store.conn.execute
    schema = store.execute("SELECT relnamespace::regnamespace::text FROM pg_class "
                           "WHERE oid = to_regclass('capcli_meta')").fetchone()[0]
    quoted = sql.Identifier(schema).as_string(store.conn)
    created = []
    for role in (ADVISER, MANAGER):
        if run("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            run(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
            created.append(role)
    run(f"GRANT {ADVISER} TO {MANAGER}")
    owner, moved_from = _owner(store, schema, created)
    tables = [r[0] for r in run("SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
                                "AND c.relkind IN ('r', 'p') ORDER BY c.relname", (schema,))]
    path = SAFE_PATH.format(schema=quoted)
    for statement in FUNCTIONS:
        run(statement.format(path=path))
    run(TEAM_ADD.format(path=path))  # owned by the administrator (CREATEROLE), not by the tables' owner
    run("REVOKE ALL ON FUNCTION capcli_team_add(text, boolean) FROM PUBLIC")
    run(f"GRANT EXECUTE ON FUNCTION capcli_team_add(text, boolean) TO {MANAGER}")
    for function in FUNCTION_SIGNATURES[1:]:
        run(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(function), sql.Identifier(owner)))
    run(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), sql.Identifier(ADVISER)))
    run(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(sql.Identifier(schema),
                                                                           sql.Identifier(ADVISER)))
    unknown = []
    for table in tables:
        _secure_table(store, table, owner)
        if table not in GRANTS:
            unknown.append(table)
    store._roles_enforced = True
    return {"schema": schema, "owner": owner, "moved_from": moved_from, "roles_created": created,
            "tables": tables, "unknown_tables": unknown}


def _owner(store, schema: str, created: list) -> tuple[str, str | None]:
    """The tables' owner, made a role nobody logs in as: (owner, the role they were moved from or None).

    An owner that can log in, or that has members, can lift the policies: the tables, the store's
    functions and domain (and the schema, unless it is the database's own ``public``) then move to
    ``capcli_owner``."""
    from psycopg import sql

    run = store.conn.execute
    owner = run("SELECT relowner::regrole::text FROM pg_class WHERE oid = to_regclass('capcli_meta')").fetchone()[0]
    owner = owner.strip('"')
    unsafe = run("SELECT r.rolcanlogin OR r.rolsuper OR EXISTS (SELECT 1 FROM pg_auth_members a WHERE a.roleid = r.oid) "
                 "FROM pg_roles r WHERE r.rolname = %s", (owner,)).fetchone()[0]
    if not unsafe:
        return owner, None
    if run("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER,)).fetchone() is None:
        run(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(OWNER)))
        created.append(OWNER)
    target = sql.Identifier(OWNER)
    for (name, kind) in run(
            "SELECT c.relname, c.relkind FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
            "AND c.relkind IN ('r', 'p') AND c.relowner = %s::regrole", (schema, owner)).fetchall():
        run(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(name), target))
    for function in ("capcli_fold(text)", "julianday(text)"):
        run(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(function), target))
    run(sql.SQL("ALTER DOMAIN capcli_date OWNER TO {}").format(target))
    schema_owner = run("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()[0]
    if schema_owner.strip('"') == owner:  # the schema's owner may drop its tables
        run(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(schema), target))
    return OWNER, owner


def _secure_table(store, table: str, owner: str) -> None:
    from psycopg import sql

    run = store.conn.execute
    name = sql.Identifier(table)
    run(sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(name))
    run(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
    run(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(name))
    for (policy,) in run("SELECT policyname FROM pg_policies WHERE schemaname = current_schema() AND tablename = %s "
                         "AND policyname LIKE 'capcli\\_%%'", (table,)).fetchall():
        run(sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(policy), name))
    for (trigger,) in run("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                          "AND tgname LIKE 'capcli\\_%%'", (table,)).fetchall():
        run(sql.SQL("DROP TRIGGER {} ON {}").format(sql.Identifier(trigger), name))
    if table not in GRANTS:  # a table this capcli does not know: nobody but the owner reads it
        return
    adviser = sql.Identifier(ADVISER)
    run(sql.SQL(f"GRANT {GRANTS[table]} ON {{}} TO {{}}").format(name, adviser))
    reads = READS.get(table, "true")

    def policy(label: str, command: str, clause: str) -> None:
        run(sql.SQL(f"CREATE POLICY {{}} ON {{}} FOR {command} TO {{}} {clause}").format(
            sql.Identifier(f"capcli_{label}"), name, adviser))

    policy("read", "SELECT", f"USING (capcli_is_manager() OR {reads})")
    writes = WRITES[table]
    if writes is not None:
        check = f"capcli_is_manager() OR {writes}"
        if "INSERT" in GRANTS[table]:
            policy("add", "INSERT", f"WITH CHECK ({check})")
        if "UPDATE" in GRANTS[table]:  # every row readable may be aimed at: the guard trigger says why not
            policy("change", "UPDATE", f"USING (true) WITH CHECK ({check})")
        if "DELETE" in GRANTS[table]:
            policy("remove", "DELETE", "USING (true)")
    if table == "diagnostic":  # capcli_diagnostic_revisions, the owner's, counts the rows `show` does not read
        run(sql.SQL("CREATE POLICY capcli_count ON diagnostic FOR SELECT TO {} USING (true)").format(
            sql.Identifier(owner)))
    trigger = "CREATE TRIGGER {} BEFORE {} ON {} FOR EACH ROW {} EXECUTE FUNCTION {}"
    if table in CASE_TABLES:
        run(sql.SQL(trigger).format(sql.Identifier("capcli_guard"), sql.SQL("INSERT OR UPDATE OR DELETE"), name,
                                    sql.SQL(""), sql.SQL("capcli_guard_case()")))
    elif table == "accompaniment":
        run(sql.SQL(trigger).format(sql.Identifier("capcli_guard"), sql.SQL("INSERT OR UPDATE"), name, sql.SQL(""),
                                    sql.SQL("capcli_guard_accompaniment()")))
    elif table == "person":  # an anonymisation is `purge`, a manager's
        run(sql.SQL(trigger).format(sql.Identifier("capcli_guard"), sql.SQL("UPDATE"), name,
                                    sql.SQL("WHEN (OLD.anonymised_on IS DISTINCT FROM NEW.anonymised_on)"),
                                    sql.SQL("capcli_guard_manager('purge')")))
    elif table in MANAGER_TABLES:
        events = "DELETE" if table == "access_log" else "INSERT OR UPDATE OR DELETE"
        run(sql.SQL(trigger).format(sql.Identifier("capcli_guard"), sql.SQL(events), name, sql.SQL(""),
                                    sql.SQL("capcli_guard_manager({})").format(sql.Literal(MANAGER_TABLES[table]))))


# --- refusals as one line ------------------------------------------------------------------

_ACTIONS = {
    "reassign": lambda: _("only a manager may reassign a case (capcli reassign, case edit --adviser)"),
    "settings": lambda: _("only a manager may change the agency's settings"),
    "purge": lambda: _("only a manager may purge (anonymise people, rewrite the journal)"),
    "team add": lambda: _("only a manager (or the database's administrator) may add a login: capcli team add"),
    "adviser add": lambda: _("only a manager may register an adviser: capcli team add"),
}


def refusal(detail: str | None, message: str | None) -> str:
    """One line for a refusal of the team store (SQLSTATE 42501)."""
    parts = (detail or "").split(":", 3)
    if parts[0] == "capcli" and len(parts) >= 3:
        if parts[1] == "case" and len(parts) == 4:
            return _("you may not change case {id}: it is {adviser}'s (a manager may, or reassign it: capcli "
                     "reassign)").format(id=parts[2], adviser=parts[3])
        if parts[1] == "manager" and parts[2] in _ACTIONS:
            return _ACTIONS[parts[2]]()
        if parts[1] == "open":
            return _("you may open a case only for yourself: a manager opens one for {adviser}").format(
                adviser=":".join(parts[2:]))
        if parts[1] == "not-login":
            return _("{login} is not an ordinary login (a group role or a superuser): not added").format(
                login=":".join(parts[2:]))
    return _("the team store refused: {reason} (see 'capcli team list' for who may do what)").format(
        reason=message or _("permission denied"))


def require_holder(store, case_id: int, adviser: str) -> None:
    """Refuse a change of a case that is not the login's, unless a manager (the database refuses it anyway)."""
    from capcli.errors import RuleError

    if enforced(store) and adviser != store.login and not is_manager(store):
        raise RuleError(refusal(f"capcli:case:{case_id}:{adviser}", None))


def require_manager(store, action: str) -> None:
    """Refuse ``action`` (a key of _ACTIONS) before anything is asked or written, unless the login is a
    manager of a store with roles (the database refuses it anyway)."""
    from capcli.errors import RuleError

    if enforced(store) and not is_manager(store):
        raise RuleError(_ACTIONS[action]())
