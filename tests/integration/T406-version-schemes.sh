#!/bin/bash
# T406-version-schemes: `vmt affects`, the OSV records and the CVE JSON 5 records agree on one rule
# for every corpus advisory: OpenStack's date versions (2011.1 .. 2015.1) and semantic versions
# (12.0.0 ...) are two lines, and a bound in one never matches a version of the other
# (docs/advisories.md, "Version ranges"). The exports are evaluated the way their consumers do,
# with PEP 440 ordering from the `packaging` library (osv.dev's PyPI ordering, CVE's "python"
# versionType), independently of vmt's own comparison.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_shared corpus/ossa/yaml
PY=""
for p in /usr/bin/python3 python3; do "$p" -c 'import packaging.version' 2>/dev/null && { PY=$p; break; }; done
[ -n "$PY" ] || t_skip "needs python3-packaging (scripts/install-deps.sh installs it)"
C=$VMT_SHARED_DIR/corpus/ossa/yaml

# The regressions found: modern releases flagged by date-version bounds.
affects() { set +e; "$VMT" affects --json --dir "$C" "$1" "$2" 2> "$T/affects.err"; echo "$?" > "$T/affects.rc"; set -e; }
ids() { t_json - 'sorted(h["id"] for h in j["affected"])'; }
out=$(affects nova 27.0.0 | ids)
for id in OSSA-2016-001 OSSA-2016-007 OSSA-2015-021; do
  t_assert_not_contains "$out" "$id" "nova 27.0.0 is not affected by $id (a date-version bound)"
done
t_assert_not_contains "$(affects keystone 25.0.1rc1 | ids)" "OSSA-2016-005" "keystone 25.0.1rc1"
t_assert_contains "$(affects nova 2015.1.2 | ids)" "OSSA-2016-001" "Kilo 2015.1.2 is affected by <=2015.1.2"
t_assert_contains "$(affects nova 12.0.0 | ids)" "OSSA-2016-001" "Liberty 12.0.0 by ==12.0.0"
t_assert_eq "$(cat "$T/affects.rc")" 1 "exit 1: affected"
affects nova 99.0.0 > /dev/null
t_assert_eq "$(cat "$T/affects.rc")" 0 "exit 0: no advisory affects it"
# Package names as PEP 503 normalises them; a name no advisory uses is warned about.
t_assert_eq "$(affects Glance_Store 0.1.1 | t_json - 'j["normalized_product"]')" glance-store
t_assert_eq "$(affects glance-store 0.1.1 | t_json - 'j["product_known"]')" true "glance-store = glance_store"
affects novaa 27.0.0 > /dev/null
t_assert_contains "$(cat "$T/affects.err")" "no advisory in $C names the product 'novaa'"

# Every advisory, every product, at every bound and around it: the three answers agree.
mkdir -p "$T/json"
for f in "$C"/OSSA-*.yaml; do
  "$VMT" advisory render --format json "$f" > "$T/json/$(basename "$f" .yaml).json" 2>/dev/null || true
done
"$PY" - "$VMT" "$C" "$T/json" <<'PY' || t_fail "affects, OSV and CVE JSON 5 disagree (see above)"
import glob, json, os, re, subprocess, sys
from packaging.version import Version, InvalidVersion
vmt, corpus, jdir = sys.argv[1:]

def V(s):
    try: return Version(s)
    except InvalidVersion: return None

def is_date(x):
    return x.release[0] >= 1000

# The one thing the exports cannot say (docs/advisories.md): a semantic range without an upper
# bound ("introduced 27.0.0", no fix yet) also takes in every date version in PEP 440 order, and
# neither OSV nor CVE JSON 5 can end a range without naming a fixed version. Such a range is read
# as the rule reads it: never at a date version.
def open_semantic(lo, hi, v):
    return hi is None and lo is not None and str(lo) != "0" and not is_date(lo) and is_date(v)

def osv_affected(rec, pkg, v):
    for a in rec.get("affected", []):
        if a["package"]["name"] != pkg: continue
        if str(v) in [str(V(x)) for x in a.get("versions", []) if V(x)]: return True
        for r in a.get("ranges", []):
            lo, hi, inc = None, None, False
            for e in r["events"]:
                if "introduced" in e: lo = V(e["introduced"]) if e["introduced"] != "0" else Version("0")
                if "fixed" in e: hi = V(e["fixed"])
                if "last_affected" in e: hi, inc = V(e["last_affected"]), True
            if open_semantic(lo, hi, v): continue
            if lo is not None and v >= lo and (hi is None or v < hi or (inc and v == hi)): return True
    return False

def cve_affected(cna, product, v):
    for a in cna.get("affected", []):
        if re.sub(r"[-_.]+", "-", a["product"]).lower() != product: continue  # PEP 503
        for e in a.get("versions", []):
            if e.get("status") != "affected": continue
            lo = V(e["version"]) if e["version"] != "0" else Version("0")
            if lo is None: continue
            if "lessThan" in e:
                hi = None if e["lessThan"] == "*" else V(e["lessThan"])
                if open_semantic(lo, hi, v): continue
                if v >= lo and (hi is None or v < hi): return True
            elif "lessThanOrEqual" in e:
                if lo <= v <= V(e["lessThanOrEqual"]): return True
            elif v == lo: return True
    return False

recs = {}
products = {}
for path in sorted(glob.glob(os.path.join(jdir, "*.json"))):
    try: doc = json.load(open(path))
    except ValueError: continue
    aid = os.path.basename(path)[:-5]
    recs[aid] = doc
    for a in doc["osv"].get("affected", []):
        if a.get("database_specific", {}).get("undecidable"): continue
        name = a["package"]["name"]
        probes = products.setdefault(name, set(["27.0.0", "12.0.0", "2015.1.2", "2014.1", "1.0.0"]))
        for x in a.get("versions", []): probes.add(x)
        for r in a.get("ranges", []):
            for e in r["events"]:
                for k in ("introduced", "fixed", "last_affected"):
                    if k in e and e[k] != "0": probes.add(e[k])
bad = checked = 0
for name, probes in sorted(products.items()):
    for p in sorted(probes):
        v = V(p)
        if v is None: continue
        r = subprocess.run([vmt, "affects", "--json", "--dir", corpus, name, p], capture_output=True, text=True)
        mine = {h["id"] for h in json.loads(r.stdout)["affected"]}
        osv = {aid for aid, d in recs.items() if osv_affected(d["osv"], name, v)}
        cve, with_record = set(), set()
        for aid, d in recs.items():
            for cna in (d.get("cve") or {}).values():
                with_record.add(aid)  # a placeholder CVE (CVE-2026-pending) gets no record
                if cve_affected(cna.get("cnaContainer", cna), name, v): cve.add(aid)
        checked += 1
        for what, other, mine_here in (("OSV", osv, mine), ("CVE JSON 5", cve, mine & with_record)):
            if other != mine_here:
                bad += 1
                print(f"{name} {p}: affects says {sorted(mine_here - other)} too many, {sorted(other - mine_here)} missing vs {what}")
print(f"{checked} product/version pairs checked", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
t_log ok
