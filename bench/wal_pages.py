#!/usr/bin/python3
# wal_pages.py [SRC_STORE_C]: how many WAL pages ward's history schema
# writes per stored message, with server ids that are random UUIDs (what
# Prosody's stanza-ids are) and with insertion-ordered ones. Takes the
# schema from src/store/store.c's first migration, fills 15,000 rows, then stores
# 5,000 more in commits of 80 (what ward's per-wake-up batching gave in the
# ingest benchmark) and counts the WAL frames they wrote. A diagnosis for
# docs/performance.md, not part of `make bench`.

import os
import re
import sqlite3
import sys
import tempfile
import uuid

SQL = ('INSERT INTO history (account, peer, direction, type, from_jid, stanza_id,'
       ' origin_id, server_id, server_id_by, body, encryption, ts)'
       ' VALUES (?,?,?,?,?,?,?,?,?,?,?,?)')


def schema(path):
    src = open(path).read()
    m = re.search(r'/\* 0 -> 1 \*/(.*?)"CREATE TABLE outbox', src, re.S)
    return ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))


def rows(k, base, random_ids):
    for i in range(base, base + k):
        sid = str(uuid.uuid4()) if random_ids else '%012d' % i
        yield ('home', 'flood@good.test', 'in', 'chat', 'flood@good.test/x', 'id%d' % i,
               None, sid, 'me@good.test', 'message %05d %s' % (i, 'x' * 48), 'none', i)


def frames_per_message(ddl, random_ids, pre=15000, n=5000, batch=80):
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(os.path.join(d, 'h.db'), isolation_level=None)
        db.execute('PRAGMA journal_mode = WAL')
        db.execute('PRAGMA wal_autocheckpoint = 0')
        db.executescript(ddl)
        db.execute('BEGIN')
        db.executemany(SQL, rows(pre, 0, random_ids))
        db.execute('COMMIT')
        db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        for done in range(0, n, batch):
            db.execute('BEGIN')
            db.executemany(SQL, rows(batch, pre + done, random_ids))
            db.execute('COMMIT')
        frames = db.execute('PRAGMA wal_checkpoint(PASSIVE)').fetchone()[1]
        db.close()
        return frames / n


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ddl = schema(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'src', 'store.c'))
    for random_ids, what in ((True, 'random UUID server ids'), (False, 'insertion-ordered ids')):
        print('%-24s %.2f WAL pages per message' % (what, frames_per_message(ddl, random_ids)))


if __name__ == '__main__':
    main()
