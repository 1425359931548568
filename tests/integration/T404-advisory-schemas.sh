#!/bin/bash
# T404-advisory-schemas: the machine-readable forms validate against the published schemas in
# ../shared/corpus/schemas (python3-jsonschema): every OSV record of the site against osv-schema.json
# (ids carry the private "x_" prefix, since OSSA- is not a registered OSV prefix), every CVE JSON 5 CNA
# container against definitions/cnaPublishedContainer, and `render --format json` likewise. A broken
# record must fail, to show the validator is really checking.
. "$(dirname "$0")/../lib/test-lib.sh"
t_require_shared corpus/ossa/yaml
t_require_shared corpus/schemas
python3 -c "import jsonschema" 2>/dev/null || t_skip "needs python3-jsonschema (scripts/install-deps.sh installs it)"
t_setup

S="$VMT_SHARED_DIR/corpus/schemas"
"$VMT" advisory site --out "$T/site" --cna-org-id 8254265b-2729-46b6-b9e3-3dfca2d5bfca \
  "$VMT_SHARED_DIR/corpus/ossa/yaml" > /dev/null
"$VMT" advisory render --format json "$VMT_SHARED_DIR/corpus/ossa/yaml/OSSA-2023-002.yaml" > "$T/one.json"

cat > "$T/validate.py" <<'PY'
import glob, json, sys
import jsonschema

schemas, site, one = sys.argv[1:4]
osv = json.load(open(schemas + "/osv-schema.json"))
bundle = json.load(open(schemas + "/CVE_Record_Format_bundled.json"))
cna = {"$ref": "#/definitions/cnaPublishedContainer", "definitions": bundle["definitions"]}
fc = jsonschema.FormatChecker()
v_osv = jsonschema.Draft202012Validator(osv, format_checker=fc)
v_cna = jsonschema.Draft7Validator(cna, format_checker=fc)

def errors(validator, doc):
    return [e.message[:200] + " at " + "/".join(map(str, e.path)) for e in validator.iter_errors(doc)]

bad = 0
osv_files = sorted(glob.glob(site + "/ossa/*.osv.json"))
cve_files = sorted(glob.glob(site + "/cve/*.json"))
for f in osv_files:
    for e in errors(v_osv, json.load(open(f))):
        bad += 1
        print(f, e)
for f in cve_files:
    doc = json.load(open(f))
    if doc["cnaContainer"]["providerMetadata"]["orgId"] != "8254265b-2729-46b6-b9e3-3dfca2d5bfca":
        bad += 1
        print(f, "orgId not taken from --cna-org-id")
    for e in errors(v_cna, doc["cnaContainer"]):
        bad += 1
        print(f, e)
j = json.load(open(one))
for e in errors(v_osv, j["osv"]):
    bad += 1
    print("render --format json osv:", e)
for cve, c in j["cve"].items():
    for e in errors(v_cna, c["cnaContainer"]):
        bad += 1
        print("render --format json", cve, e)
# The multi-product advisory: three products, each with its own ranges.
names = sorted(a["package"]["name"] for a in j["osv"]["affected"])
assert names == ["cinder", "glance", "nova"], names
# Negative controls: the validators must reject what is wrong.
rec = json.load(open(osv_files[0]))
rec["id"] = rec["id"][2:]  # OSSA-... is not a registered prefix
assert errors(v_osv, rec), "an OSV id without a registered prefix passed"
c = json.load(open(cve_files[0]))["cnaContainer"]
del c["references"]
assert errors(v_cna, c), "a CNA container without references passed"
print("validated %d OSV records and %d CNA containers: %d errors" % (len(osv_files), len(cve_files), bad))
sys.exit(1 if bad or len(osv_files) != 183 or len(cve_files) < 190 else 0)
PY
out=$(python3 "$T/validate.py" "$S" "$T/site" "$T/one.json") || t_fail "schema validation: $out"
t_log "$out"

# The osv/ folder as osv.dev's dumps lay it out: one file per record (the same bytes as in ossa/),
# all.zip holding exactly those, modified_id.csv newest first, index.json for a REST source. A
# free-text version field gives no range at all (never "every version") and says so.
python3 - "$T/site" <<'PY' || t_fail "the osv/ dump is not what osv.dev reads"
import csv, glob, io, json, os, sys, zipfile
site = sys.argv[1]
files = sorted(glob.glob(site + "/osv/x_*.json"))
assert len(files) == 183, len(files)
for f in files:
    same = site + "/ossa/" + os.path.basename(f)[2:-5] + ".osv.json"
    assert open(f, "rb").read() == open(same, "rb").read(), f
z = zipfile.ZipFile(site + "/osv/all.zip")
assert sorted(z.namelist()) == sorted(os.path.basename(f) for f in files), "all.zip members"
for f in files:
    assert z.read(os.path.basename(f)) == open(f, "rb").read(), "all.zip " + f
rows = list(csv.reader(open(site + "/osv/modified_id.csv")))
records = {json.load(open(f))["id"]: json.load(open(f)) for f in files}
assert sorted(r[1] for r in rows) == sorted(records), "modified_id.csv ids"
assert [r[0] for r in rows] == sorted((r[0] for r in rows), reverse=True), "modified_id.csv is not newest first"
assert all(records[r[1]]["modified"] == r[0] for r in rows), "modified_id.csv times"
index = json.load(open(site + "/osv/index.json"))
assert sorted(i["id"] for i in index) == sorted(records) and all(i["modified"] == records[i["id"]]["modified"] for i in index)
free = 0
for rec in records.values():
    for a in rec.get("affected", []):
        if a.get("database_specific", {}).get("undecidable"):
            free += 1
            assert "ranges" not in a and "versions" not in a, rec["id"] + ": a free-text field became a range"
assert free > 0, "no free-text entry in the corpus (this check shows nothing)"
print("osv/: %d records, zip, csv and index agree; %d free-text entries without ranges" % (len(files), free))
PY
# Rebuilt from the same files, the zip keeps its bytes (a signature over it stays valid).
sum1=$(sha256sum < "$T/site/osv/all.zip")
"$VMT" advisory site --out "$T/site2" "$VMT_SHARED_DIR/corpus/ossa/yaml" > /dev/null
t_assert_eq "$(sha256sum < "$T/site2/osv/all.zip")" "$sum1" "all.zip is reproducible"
