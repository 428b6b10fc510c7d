"""How tests/data/store_v1.sqlite was made (run once, on the foundation commit 39df2ab).

It holds the FIRST schema (capcli_meta.schema_version = 1) with a few records of every
table: the demo caseload (persons, employers, cases of every kind, events, contacts)
plus needs, diagnostics, a done contact and a setting written with plain SQL, since the
foundation has no command for them yet. Do not regenerate it with a newer capcli: the
upgrade test needs a store from the first schema.

    python tests/data/make_store_v1.py tests/data/store_v1.sqlite
"""

import os
import sys
from pathlib import Path

target = Path(sys.argv[1])
os.environ.update(CAPCLI_TODAY="2026-11-22", CAPCLI_ADVISER="alice", CAPCLI_LANG="en")

from capcli.env import Env  # noqa: E402
from capcli.services import demo  # noqa: E402

env = Env(environ=dict(os.environ), db_option=target)
store = demo.build(env, target)
with store.transaction():
    store.execute("INSERT INTO setting (key, value) VALUES ('retention_years', '3')")
    store.execute(
        "INSERT INTO diagnostic (case_id, on_date, author, situation, restrictions, disability_type, "
        "health_opinion, capacities, aspirations, impact) VALUES (1, '2026-08-01', 'alice', 'cariste', "
        "'[\"no load over 10 kg\"]', 'moteur', 'apte-avec-restrictions', 'logistics', 'stock clerk', 'strong')"
    )
    store.execute(
        "INSERT INTO diagnostic (case_id, on_date, author, situation, restrictions, disability_type) "
        "VALUES (4, '2026-05-01', 'bob', 'aide-soignante', '[\"no night shifts\"]', 'psychique')"
    )
    store.execute(
        "INSERT INTO need (case_id, category, description, funder, amount_cents, status, created_on, updated_on) "
        "VALUES (4, 'amenagement-poste', 'height-adjustable desk', 'agefiph', 85000, 'accorde', '2026-05-02', "
        "'2026-06-01')"
    )
    store.execute(
        "INSERT INTO need (case_id, category, description, status, created_on, updated_on) "
        "VALUES (1, 'formation', 'CACES 1', 'identifie', '2026-08-02', '2026-08-02')"
    )
    store.execute(
        "UPDATE contact SET done_on = '2026-11-20', note = 'all fine', at_risk = 0 "
        "WHERE id = (SELECT MIN(id) FROM contact)"
    )
store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
store.execute("PRAGMA journal_mode = DELETE")
store.close()
