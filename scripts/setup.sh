#!/usr/bin/env bash
# Installs the system libraries kzqa links against, only when one is missing (Debian/Ubuntu).
set -euo pipefail
# sqlite3: the shell scripts/check-install.sh reads indexes with.
# mythes-fr: the French thesaurus (LibreOffice MyThes) whose synonyms the index stores for query expansion.
# libhunspell-dev + hunspell-fr-comprehensive: Grammalecte's French dictionary read through libhunspell for
# lemmas and parts of speech (FrenchLexicon).
# zlib1g-dev, dict-freedict-eng-fra, dict-freedict-fra-eng: the English-French dictionaries (dictd files, gzip)
# that English questions are translated with; dict-freedict-eng-deu, dict-freedict-deu-fra: the English-German and
# German-French ones, the pivot for English words the first two lack; wordnet-base: WordNet 3.0's lists of irregular English forms
# (took -> take) looked up before the dictionary.
# libncurses-dev, libbsd-dev, libmd-dev: the static archives libedit's own archive needs (the release build links
# the C libraries statically; see Package.swift).
packages=(libsqlite3-dev libblas-dev libedit-dev mythes-fr sqlite3 libhunspell-dev hunspell-fr-comprehensive
          zlib1g-dev dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-eng-deu dict-freedict-deu-fra wordnet-base libncurses-dev libbsd-dev libmd-dev)
# --serve-checks: also what scripts/browser-check.sh and benchmarks/serve_load.py use (not the tests, not CI):
# chromium (headless browser), wrk (HTTP load), curl.
if [ "${1:-}" = "--serve-checks" ]; then packages+=(chromium wrk curl); fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
