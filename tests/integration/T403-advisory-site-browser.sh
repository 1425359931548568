#!/bin/bash
# T403-advisory-site-browser: build the whole site from the 183 published advisories plus a security
# note, open it in headless Chromium (Debian's chromium, driven through chromedriver's WebDriver HTTP
# interface from python3's standard library), follow every link from the index (pages, anchors,
# the mailed texts, OSV and CVE records, the feed and the links inside the feed), and take
# screenshots of the index and of one advisory page, on a desktop and on a phone-sized window.
#
# Links to other hosts (review.opendev.org, launchpad) cannot be followed here (no network): they
# are checked to be well-formed http(s) URLs. Screenshots are kept in $VMT_BUILD_DIR/test-artifacts.
. "$(dirname "$0")/../lib/test-lib.sh"
t_require_shared corpus/ossa/yaml
t_require_cmd chromium
t_require_cmd chromedriver
t_setup

mkdir "$T/src"
cp "$VMT_SHARED_DIR"/corpus/ossa/yaml/*.yaml "$T/src/"
cat > "$T/src/OSSN-0097.yaml" <<'YAML'
id: OSSN-0097
date: 2026-05-12
title: Glance image locations can be replaced by the image owner
summary: >
  When show_multiple_locations is enabled, an image owner can point an
  image at other data, so that consumers of the image use that data.
affected-products:
  - product: glance
    version: '<29.1.1, ==30.0.0'
affected: |
  All deployments that set show_multiple_locations to True.
discussion: |
  The image "locations" field [0] should never be shown to end users.

  - A user-facing glance-api, reachable by end users.
  - An internal glance-api for Nova and Cinder only.
recommended-actions: |
  Run two glance-api services as described above.
authors:
  - Jane Doe, Example Corp
references:
  - label: Original Launchpad bug
    url: https://launchpad.net/bugs/2000000
cve: CVE-2026-11111
YAML

site="$T/site"
"$VMT" advisory site --out "$site" --base-url "file://$site" "$T/src" > "$T/site.out"
t_assert_contains "$(cat "$T/site.out")" "183 advisories, 1 notes"

ART="$VMT_BUILD_DIR/test-artifacts/$T_NAME"
rm -rf "$ART"
mkdir -p "$ART"
PROFILE="$T/chromium-profile"
mkdir -p "$PROFILE"

python3 - "$site" "$ART" "$PROFILE" <<'PY' || t_fail "browser check failed"
import base64, collections, json, os, socket, subprocess, sys, time, urllib.parse, urllib.request
import xml.etree.ElementTree as ET

site, art, profile = sys.argv[1:4]
root_url = "file://" + site + "/"

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

port = free_port()
log = open(os.path.join(art, "chromedriver.log"), "w")
drv = subprocess.Popen(["chromedriver", "--port=%d" % port], stdout=log, stderr=log)

def call(method, path, body=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)["value"]

failures = []
S = None
def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)

try:
    for _ in range(100):
        try:
            if call("GET", "/status", timeout=2).get("ready"):
                break
        except Exception:
            time.sleep(0.1)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--hide-scrollbars", "--window-size=1280,1000"]
    caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}}
    sid = call("POST", "/session", caps, timeout=120)["sessionId"]
    S = "/session/" + sid

    def go(url):
        call("POST", S + "/url", {"url": url})
    def js(script, *a):
        return call("POST", S + "/execute/sync", {"script": script, "args": list(a)})
    def shot(name, width, height=None):
        call("POST", S + "/window/rect", {"width": width, "height": height or 1000})
        h = js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
        call("POST", S + "/window/rect", {"width": width, "height": min(int(h) + 20, 6000)})
        png = base64.b64decode(call("GET", S + "/screenshot"))
        path = os.path.join(art, name)
        with open(path, "wb") as f:
            f.write(png)
        if len(png) < 5000:
            fail("screenshot %s looks empty (%d bytes)" % (name, len(png)))
        # On a phone the page must not scroll sideways.
        sw, iw = js("return [document.documentElement.scrollWidth, window.innerWidth]")
        if sw > iw + 1:
            fail("%s: wider than the window at %dpx (%d > %d)" % (name, width, sw, iw))
        print("screenshot", path)

    queue = collections.deque([root_url + "index.html"])
    seen = set(queue)
    fragments = collections.defaultdict(set)  # page -> ids that links point at
    visited = external = 0

    def enqueue(href, page):
        global external
        u = urllib.parse.urlsplit(href)
        if u.scheme in ("http", "https"):
            external += 1
            if not u.netloc or " " in href:
                fail("%s: malformed external link %r" % (page, href))
            return
        if u.scheme != "file":
            fail("%s: unexpected link %r" % (page, href))
            return
        target = urllib.parse.urlunsplit((u.scheme, u.netloc, u.path, "", ""))
        if not target.startswith(root_url):
            fail("%s: link leaves the site: %s" % (page, href))
            return
        if not os.path.isfile(urllib.parse.unquote(u.path)):
            fail("%s: broken link %s" % (page, href))
            return
        if u.fragment:
            fragments[target].add(u.fragment)
        if target not in seen:
            seen.add(target)
            queue.append(target)

    checked_fragments = set()
    while queue:
        url = queue.popleft()
        go(url)
        visited += 1
        state, href = js("return [document.readyState, location.href]")
        if href.split("#")[0] != url:
            fail("%s did not load (browser is at %s)" % (url, href))
            continue
        if url.endswith(".html"):
            info = js("""
              return {title: document.title,
                      links: Array.from(document.querySelectorAll('a[href], link[href]'), e => e.href),
                      bg: getComputedStyle(document.querySelector('header.site')).backgroundColor,
                      h1: (document.querySelector('h1') || {}).textContent || ''};""")
            if not info["title"] or not info["h1"]:
                fail("%s: no title or heading" % url)
            if info["bg"] != "rgb(244, 246, 248)":
                fail("%s: style sheet not applied (header background %s)" % (url, info["bg"]))
            for l in info["links"]:
                enqueue(l, url)
        elif url.endswith(".xml"):
            text = open(urllib.parse.unquote(url[len("file://"):]), encoding="utf-8").read()
            feed = ET.fromstring(text)
            ns = {"a": "http://www.w3.org/2005/Atom"}
            entries = feed.findall("a:entry", ns)
            if len(entries) < 10:
                fail("feed has only %d entries" % len(entries))
            for l in feed.iter("{http://www.w3.org/2005/Atom}link"):
                enqueue(l.get("href"), url)
        else:
            body = js("return document.body ? document.body.innerText : ''")
            if not body.strip():
                fail("%s: empty document" % url)
            if url.endswith(".json"):
                try:
                    json.loads(body)
                except ValueError as e:
                    fail("%s: not JSON: %s" % (url, e))
        for frag in fragments.get(url, ()):
            checked_fragments.add((url, frag))
            if url.endswith(".html") and not js("return !!document.getElementById(arguments[0])", frag):
                fail("%s#%s: no such anchor" % (url, frag))
    # Anchors met after their page was visited.
    for page, frags in fragments.items():
        for frag in frags:
            if (page, frag) not in checked_fragments:
                go(page)
                if not js("return !!document.getElementById(arguments[0])", frag):
                    fail("%s#%s: no such anchor" % (page, frag))

    print("visited %d documents, %d anchors, %d external links checked for form" %
          (visited, sum(len(v) for v in fragments.values()), external))
    if visited < 700:
        fail("only %d documents reached from the index" % visited)

    go(root_url + "index.html")
    shot("index-desktop.png", 1280)
    shot("index-phone.png", 390)
    go(root_url + "ossa/OSSA-2026-012.html")
    shot("advisory-desktop.png", 1280)
    shot("advisory-phone.png", 390)
    go(root_url + "ossn/OSSN-0097.html")
    shot("note-phone.png", 390)
    # A reader whose system is dark: the page follows (prefers-color-scheme, emulated through
    # the DevTools protocol), light text on a dark ground.
    go(root_url + "ossa/OSSA-2026-012.html")
    call("POST", S + "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia",
         "params": {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}})
    def luminance(css):
        r, g, b = [int(x) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3]]
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    bg = js("return getComputedStyle(document.body).backgroundColor")
    fg = js("return getComputedStyle(document.body).color")
    if not (luminance(bg) < 0.2 and luminance(fg) > 0.7):
        fail("dark mode: background %s, text %s" % (bg, fg))
    shot("advisory-dark.png", 1280)
finally:
    # Close the browser (chromedriver does not always take it down with itself), then the driver.
    try:
        if S:
            call("DELETE", S, timeout=20)
    except Exception:
        pass
    drv.terminate()
    try:
        drv.wait(10)
    except Exception:
        drv.kill()

if failures:
    print("%d problems" % len(failures), file=sys.stderr)
    sys.exit(1)
PY
for f in index-desktop index-phone advisory-desktop advisory-phone; do t_assert_file "$ART/$f.png"; done
t_log "ok: every link resolves; screenshots in $ART"
