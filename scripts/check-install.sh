#!/usr/bin/env bash
# Runs the cases of issue 15 (items 1–7) against a built kzqa, the way a new user would, each in a fresh temporary
# folder outside the checkout. Prints one line per case and exits 1 when any fails.
#   scripts/check-install.sh [PATH-TO-KZQA]     (default: .build/release/kzqa, built with swift build -c release)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kzqa=$(realpath "${1:-$here/.build/release/kzqa}")
[ -x "$kzqa" ] || { echo "error: no kzqa at $kzqa: build it first with swift build -c release" >&2; exit 1; }
work=$(mktemp -d /tmp/kzqa-check-XXXXXX)
trap 'rm -rf "$work"' EXIT
# A user's environment without an index of its own: HOME inside the scratch folder, no thesaurus (fast).
export HOME="$work/home" KZQA_THESAURUS="" NO_COLOR=1
unset KZQA_INDEX XDG_DATA_HOME
mkdir -p "$HOME"
failures=0
pass() { echo "ok    $1"; }
fail() { echo "FAIL  $1${2:+: $2}"; failures=$((failures + 1)); }
# A small corpus: two articles.
corpus() {
  mkdir -p "$1"
  printf 'Le vélo à Valmont\n\nLa piste cyclable de Valmont mesure 42 kilomètres le long du canal.\n\nLe prêt de vélos est gratuit le dimanche.\n' > "$1/velo.txt"
  printf '# Le musée de Nantes\n\nLe musée des Beaux-Arts de Nantes a rouvert ses portes en juin 2017.\n' > "$1/musee.md"
}

# 1. A text file survives the hint and --rebuild.
d="$work/c1"; mkdir -p "$d"; cd "$d"; corpus docs
echo "mes notes" > notes.txt
err=$("$kzqa" ask --index notes.txt "Qui ?" 2>&1 >/dev/null); status=$?
[ $status -ne 0 ] && [[ "$err" == error:*"not a kzqa index"* ]] && [[ "$err" != *--rebuild* ]] \
  && pass "1 a text file given as --index is refused without a rebuild hint" || fail "1 refusal of a text file" "$err"
"$kzqa" index --rebuild --index notes.txt docs >/dev/null 2>&1
[ "$(cat notes.txt)" = "mes notes" ] && pass "1 the text file survives index --rebuild" || fail "1 the text file was changed by --rebuild"
"$kzqa" index --index n.sqlite docs >/dev/null 2>&1
sqlite3 n.sqlite "UPDATE meta SET value = '999' WHERE key = 'schema_version'" 2>/dev/null
err=$("$kzqa" ask --index n.sqlite "Qui ?" 2>&1 >/dev/null)
[[ "$err" == *"--rebuild --index n.sqlite $d/docs"* ]] && pass "1 the --rebuild hint names the paths the index was built from" \
  || fail "1 the hint names the indexed paths" "$err"

# 2. A killed first index is followed by a working run.
d="$work/c2"; mkdir -p "$d/big"; cd "$d"
python3 - "$d/big" <<'PY'
import random, sys
random.seed(7)
words = "ville village marché rivière montagne école hôpital usine ferme route pont gare port musée église".split()
for i in range(400):
    with open(f"{sys.argv[1]}/doc{i:04}.txt", "w") as f:
        f.write(f"Chronique {i}\n\n")
        for _ in range(60):
            f.write(" ".join(random.choice(words) for _ in range(40)) + f" {random.randint(0, 99999)}.\n\n")
PY
"$kzqa" index --index new.sqlite big >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 400); do ls new.sqlite.rebuild-* >/dev/null 2>&1 && break; sleep 0.02; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ ! -e new.sqlite ] && pass "2 a killed first index leaves no half-built index" || fail "2 a half-built new.sqlite is in place"
out=$("$kzqa" index --index new.sqlite big 2>&1); status=$?
left=$(ls -d new.sqlite.rebuild-* 2>/dev/null | wc -l)
[ $status -eq 0 ] && [ "$left" -eq 0 ] && pass "2 the same command then works and removes the abandoned file" || fail "2 rerun after the kill" "$out"
grep -q '\.lock' "$here/README.md" && pass "2 README says what .lock files are" || fail "2 README on .lock files"

# 3. One document for two spellings of a path.
d="$work/c3"; mkdir -p "$d"; cd "$d"; corpus docs
"$kzqa" index --index i.sqlite docs >/dev/null 2>&1
"$kzqa" index --index i.sqlite "$d/docs" >/dev/null 2>&1
"$kzqa" index --index i.sqlite ./docs/ >/dev/null 2>&1
n=$(sqlite3 i.sqlite "SELECT count(*) FROM documents" 2>/dev/null)
out=$("$kzqa" ask --index i.sqlite "Combien mesure la piste cyclable de Valmont ?" 2>&1)
cited=$(grep -c "velo.txt" <<<"$out")
[ "$n" = 2 ] && [ "$cited" = 1 ] && pass "3 docs and $d/docs are one document, cited once" || fail "3 two spellings" "documents=$n cited=$cited"

# 4. From any directory: cd /tmp && kzqa ask …
d="$work/c4"; mkdir -p "$d"; cd "$d"
out=$("$kzqa" ask "Qui est Kai-Fu Lee ?" 2>"$d/err"); status=$?
[ $status -eq 0 ] && grep -q "Sinovation" <<<"$out" && [ -f "$HOME/.local/share/kzqa/kzqa.sqlite" ] \
  && pass "4 kzqa ask answers outside a checkout (index in ~/.local/share/kzqa, from the bundled seeds)" \
  || fail "4 ask outside a checkout" "$(cat "$d/err")"
grep -q "swift build -c release" "$here/README.md" && grep -q "local/share/kzqa" "$here/README.md" \
  && pass "4 README has the install line and says where the index lives" || fail "4 README install line"

# 5. --version, no subcommand, did-you-mean, help of no command.
"$kzqa" --version >/dev/null 2>&1 && pass "5 kzqa --version exits 0 ($("$kzqa" --version))" || fail "5 --version"
out=$("$kzqa" "Qui est Kai-Fu Lee ?" 2>/dev/null); grep -q "Sinovation" <<<"$out" && pass "5 kzqa \"Qui …\" asks" || fail "5 default subcommand"
err=$("$kzqa" indx docs 2>&1); [[ "$err" == *"did you mean \`kzqa index\`"* ]] && pass "5 a mistyped command gets a did-you-mean" || fail "5 did-you-mean" "$err"
"$kzqa" help nosuch >/dev/null 2>&1 && fail "5 kzqa help nosuch exits 0" || pass "5 kzqa help nosuch is an error"

# 6. Three --json runs are byte-identical; --top 1 lists one source; JSONL citations show the record id.
d="$work/c6"; mkdir -p "$d"; cd "$d"; corpus docs
"$kzqa" index --index i.sqlite docs >/dev/null 2>&1
q="Combien mesure la piste cyclable de Valmont ?"
a=$("$kzqa" ask --index i.sqlite --json "$q"); b=$("$kzqa" ask --index i.sqlite --json "$q"); c=$("$kzqa" ask --index i.sqlite --json "$q")
[ "$a" = "$b" ] && [ "$b" = "$c" ] && pass "6 three --json runs are byte-identical" || fail "6 --json runs differ"
out=$("$kzqa" ask --index i.sqlite --top 1 "$q")
n=$(grep -cE '^  (\[[0-9]+\]|[0-9]+\.) ' <<<"$out")
[ "$n" = 1 ] && pass "6 --top 1 lists one source" || fail "6 --top 1 lists $n sources"
printf '{"id":"velo-17","text":"La piste cyclable de Valmont mesure 42 kilomètres le long du canal."}\n' > r.jsonl
"$kzqa" index --index j.sqlite r.jsonl >/dev/null 2>&1
out=$("$kzqa" ask --index j.sqlite "$q")
grep -q "record velo-17" <<<"$out" && pass "6 a JSONL citation shows the record id" || fail "6 JSONL citation" "$out"

# 7. The small ones.
d="$work/c7"; mkdir -p "$d/one"; cd "$d"; corpus docs
printf 'Titre\n\nUne phrase.\n' > one/a.txt
out=$("$kzqa" index --index o.sqlite one); [[ "$out" == "indexed 1 document,"* ]] && pass "7 indexed 1 document" || fail "7 singular" "$out"
"$kzqa" index --index m.sqlite docs >/dev/null 2>&1
t=$(sqlite3 m.sqlite "SELECT title FROM documents WHERE path LIKE '%.md'" 2>/dev/null)
[ "$t" = "Le musée de Nantes" ] && pass "7 a .md title loses its #" || fail "7 .md title" "$t"
err=$("$kzqa" ask --index m.sqlite --top -1 "Qui ?" 2>&1); [[ "$err" == *"1 to 100"* && "$err" != *"Missing value"* ]] \
  && pass "7 --top -1 names the range" || fail "7 --top -1" "$err"
"$kzqa" ask --help | grep -q "1 to 100" && pass "7 the range of --top is in the help" || fail "7 --top range in help"
[ "$("$kzqa" ask --help | tr -s ' \n' ' ' | grep -o 'default: hybrid' | wc -l)" = 1 ] \
  && [ "$("$kzqa" bench --help | tr -s ' \n' ' ' | grep -o 'default: hybrid' | wc -l)" = 1 ] \
  && pass "7 --mode/--modes print their default once" || fail "7 default printed twice"
"$kzqa" index --help | tr -s ' \n' ' ' | grep -q "from under the given paths" && pass "7 index --help keeps its sentences whole" || fail "7 index --help"
out=$(printf ':help\n' | "$kzqa" repl --index m.sqlite); grep -q "Type a question" <<<"$out" && pass "7 the REPL speaks English" || fail "7 REPL language"
printf ':nosuch\nQui ?\n' | "$kzqa" repl --index m.sqlite >/dev/null 2>&1 && fail "7 a piped REPL with errors exits 0" || pass "7 a piped REPL with errors exits non-zero"
err=$("$kzqa" ask --index m.sqlite "?!" 2>&1) && fail "7 a punctuation-only question is answered" || { [[ "$err" == error:* ]] && pass "7 a punctuation-only question is an error"; }
printf '%%PDF-1.4\n' > r.pdf
"$kzqa" index --index p.sqlite r.pdf >/dev/null 2>&1 && fail "7 a .pdf is indexed" || pass "7 a .pdf named on the command line is refused"
# Where the time of a tiny run goes: the thesaurus (when installed) is read again; without it the run is quick.
start=$(date +%s.%N); "$kzqa" index --index t.sqlite docs one >/dev/null 2>&1; end=$(date +%s.%N)
s=$(python3 -c "print(f'{$end - $start:.2f}')")
with=""
if [ -f /usr/share/mythes/thes_fr.dat ]; then
  start=$(date +%s.%N); env -u KZQA_THESAURUS "$kzqa" index --index t2.sqlite docs one >/dev/null 2>&1; end2=$(date +%s.%N)
  with=", $(python3 -c "print(f'{$end2 - $start:.2f}')") s with the thesaurus (reading it is the rest)"
fi
[ "$(python3 -c "print(1 if $s < 1.0 else 0)")" = 1 ] && pass "7 indexing three tiny files: $s s without the thesaurus$with" \
  || fail "7 indexing three tiny files takes $s s without the thesaurus"
[ -f "$here/docs/CONTRACTS.md" ] && "$kzqa" --help | grep -q "docs/CONTRACTS.md" \
  && pass "7 docs/CONTRACTS.md is in the repository and --help cites it" || fail "7 docs/CONTRACTS.md"

echo
[ $failures -eq 0 ] && echo "all cases pass" || echo "$failures case(s) failed"
[ $failures -eq 0 ]
