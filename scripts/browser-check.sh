#!/usr/bin/env bash
# Checks `kzqa serve` in a real browser (headless Chromium, Debian's `chromium`) and takes the README's screenshots.
#
#   scripts/browser-check.sh [--binary .build/release/kzqa] [--no-screenshots]
#
# Indexes seeds/ plus a hostile document (markup: <script>, <img onerror>) in a temporary folder, serves it on a free
# loopback port, then:
#   - loads /?q=… about the hostile document with --dump-dom: the DOM must hold the answer, the markup as text, and no
#     element from the document (no <img>, one <script>: the page's own /app.js);
#   - loads an answered and an abstained question: the DOM holds the answer / the abstention;
#   - writes docs/serve-answer.png and docs/serve-abstention.png (--screenshot).
# Exit status 0 when every check passes. Not part of `swift test` (the tests need no browser).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
binary=.build/release/kzqa
shots=1
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --no-screenshots) shots=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "browser-check.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
[ -x "$binary" ] || { echo "browser-check.sh: no kzqa binary at $binary: run swift build -c release first" >&2; exit 1; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "browser-check.sh: chromium is missing: bash scripts/setup.sh --serve-checks" >&2; exit 1; }

work=$(mktemp -d /tmp/kzqa-browser-XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/seeds" "$work/notes"
cp seeds/*.txt "$work/seeds/"
cat > "$work/notes/balise.txt" <<'DOC'
Le laboratoire Balise de Karaganda

Le laboratoire Balise publie ses notes sous la forme <script>document.title="PWNED"</script> et ses schémas comme <img src=x onerror=document.title="PWNED"> sans jamais les exécuter.
DOC
cd "$work"
"$binary" index seeds notes --index kzqa.sqlite >/dev/null
"$binary" serve --index kzqa.sqlite --port 0 > serve.out 2> serve.err &
server=$!
for _ in $(seq 100); do [ -s serve.out ] && break; sleep 0.1; done
url=$(head -n1 serve.out)
[ -n "$url" ] || { echo "browser-check.sh: serve printed no URL" >&2; cat serve.err >&2; exit 1; }

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
browse() { "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
  --user-data-dir="$work/profile" "$@" 2>/dev/null; }

fail=0
check() {  # check NAME FILE PYTHON-EXPRESSION-ON-dom
  if python3 - "$2" "$3" <<'PY'
import sys, re
dom = open(sys.argv[1], encoding="utf-8").read()
ok = eval(sys.argv[2], {"dom": dom, "re": re})
sys.exit(0 if ok else 1)
PY
  then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

hostile="Sous quelle forme le laboratoire Balise publie-t-il ses notes ?"
browse --dump-dom "${url}?q=$(enc "$hostile")" > hostile.html
check "hostile: the markup shows as text" hostile.html '"&lt;script&gt;document.title=" in dom and "&lt;img src=x onerror=" in dom'
check "hostile: no <img> element" hostile.html 'not re.search(r"<img\b", dom, re.I)'
check "hostile: one <script>, the page's own" hostile.html 'len(re.findall(r"<script\b", dom, re.I)) == 1 and "<script src=\"/app.js\"" in dom'
check "hostile: no script ran (title intact)" hostile.html '"PWNED" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1)'
check "hostile: answered with citations" hostile.html '"<ol class=\"citations\">" in dom'

answered="Qui dirige le nouveau ministère de l'IA ?"
[ -n "${KZQA_BROWSER_QUESTION:-}" ] && answered="$KZQA_BROWSER_QUESTION"
browse --dump-dom "${url}?q=$(enc "$answered")" > answer.html
check "answer: the page holds an answer and its sources" answer.html '"<p class=\"answer\">" in dom and "<ol class=\"citations\">" in dom'
abstained="Combien de volcans sont actifs en Islande ?"
browse --dump-dom "${url}?q=$(enc "$abstained")" > abstention.html
check "abstention: shown as such with the closest passages" abstention.html '"class=\"abstained\"" in dom and "Passages les plus proches" in dom'

if [ "$shots" = 1 ]; then
  browse --hide-scrollbars --window-size=1100,1250 --screenshot="$root/docs/serve-answer.png" "${url}?q=$(enc "$answered")" >/dev/null
  browse --hide-scrollbars --window-size=1100,1100 --screenshot="$root/docs/serve-abstention.png" "${url}?q=$(enc "$abstained")" >/dev/null
  echo "wrote docs/serve-answer.png docs/serve-abstention.png"
fi
exit $fail
