#!/usr/bin/python3
# provision.py: writes the benchmark's accounts and rosters straight into the
# (stopped or running) test Prosody's internal storage, which is far faster
# than 1,000 prosodyctl runs. Every account gets a copy of one account file
# made by `prosodyctl register` (SCRAM keys depend on the password and salt,
# not on the user name, so all share one password). A roster file is only
# read at login, so writing them for users who are offline is safe.
#
#   provision.py DATA_DIR TEMPLATE_ACCOUNT SPEC.json
# SPEC.json: {"domain": "good.test",
#             "accounts": ["u1", ...],
#             "rosters": {"u1": [["u2", "both", "Name"], ...], ...},
#             "roster_versions": {"u1": 7}}    (optional; 1 by default)

import json
import os
import sys


def lua_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def roster_lua(items, domain, version=1):
    out = ['return {', '\t[false] = {', '\t\t["version"] = %d;' % version,
           '\t\t["pending"] = {};', '\t};']
    for user, sub, name in items:
        out.append('\t[%s] = {' % lua_str('%s@%s' % (user, domain)))
        out.append('\t\t["subscription"] = %s;' % lua_str(sub))
        out.append('\t\t["groups"] = {};')
        if name:
            out.append('\t\t["name"] = %s;' % lua_str(name))
        out.append('\t};')
    out.append('};')
    return '\n'.join(out) + '\n'


def host_dir(data_dir, domain):
    # Prosody's datamanager encodes '.' (and other non-alphanumerics) as %2e
    enc = ''.join(c if c.isalnum() or c in '_-' else '%%%02x' % ord(c) for c in domain)
    return os.path.join(data_dir, enc)


def write(path, text, owner):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.chmod(tmp, 0o640)
    if owner is not None:
        os.chown(tmp, *owner)
    os.rename(tmp, path)


def main():
    data_dir, template, spec_file = sys.argv[1:4]
    with open(spec_file) as f:
        spec = json.load(f)
    domain = spec['domain']
    hd = host_dir(data_dir, domain)
    st = os.stat(template)
    owner = (st.st_uid, st.st_gid) if os.getuid() == 0 else None
    with open(template) as f:
        account = f.read()
    for sub in ('accounts', 'roster'):
        d = os.path.join(hd, sub)
        os.makedirs(d, exist_ok=True)
        if owner is not None:
            os.chown(d, *owner)
        os.chmod(d, 0o750)
    for user in spec['accounts']:
        path = os.path.join(hd, 'accounts', user + '.dat')
        if os.path.abspath(path) != os.path.abspath(template):
            write(path, account, owner)
    for user, items in spec['rosters'].items():
        version = int(spec.get('roster_versions', {}).get(user, 1))
        write(os.path.join(hd, 'roster', user + '.dat'), roster_lua(items, domain, version),
              owner)
    print('provision.py: %d accounts, %d rosters' % (len(spec['accounts']), len(spec['rosters'])))


if __name__ == '__main__':
    main()
