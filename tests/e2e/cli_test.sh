#!/usr/bin/env bash
# The kubetwin CLI as a user runs it: output format and exit codes (SPEC.md).
# usage: cli_test.sh PATH/TO/kubetwin
set -u
kubetwin="$1"
failures=0
passes=0

check() {  # check NAME EXPECTED_EXIT REGEX_ON_OUTPUT -- ARGS...
  local name="$1" want="$2" regex="$3"
  shift 4
  local out rc
  out=$("$kubetwin" "$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  elif ! grep -Eq -- "$regex" <<<"$out"; then
    echo "FAIL $name: output does not match /$regex/"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok   $name"; passes=$((passes + 1))
  fi
}

# The PHOLD line format is a contract: scripts parse it from the last line.
out=$("$kubetwin" bench phold --lps 64 --events-per-lp 4 --end 20 --remote 0.3 --seed 5)
last=$(tail -n 1 <<<"$out")
if [[ "$last" =~ ^events=[0-9]+\ wall_s=[0-9]+\.[0-9]+\ events_per_sec=[0-9]+$ ]]; then
  echo "ok   phold last line: $last"; passes=$((passes + 1))
else
  echo "FAIL phold last line: '$last'"; failures=$((failures + 1))
fi
again=$("$kubetwin" bench phold --lps 64 --events-per-lp 4 --end 20 --remote 0.3 --seed 5 | tail -n 1)
if [ "${last%% *}" = "${again%% *}" ]; then
  echo "ok   phold event count repeats for a seed"; passes=$((passes + 1))
else
  echo "FAIL phold event count differs: ${last%% *} vs ${again%% *}"; failures=$((failures + 1))
fi

check "phold --key=value form"     0 '^events=[0-9]+ '           -- bench phold --lps=8 --end=5
check "phold lookahead accepted"   0 'lookahead=0.5'             -- bench phold --lps 8 --end 5 --lookahead 0.5
check "help"                       0 'usage: kubetwin'           -- help
check "version"                    0 '^kubetwin [0-9]+\.[0-9]+'  -- --version
check "bench phold --help"         0 'usage: kubetwin bench phold' -- bench phold --help
check "no command"                 2 'error: no command given'   --
check "unknown command"            2 "error: unknown command 'frobnicate'" -- frobnicate
check "unknown benchmark"          2 "error: unknown benchmark 'nope'" -- bench nope
check "unknown option"             2 'error: unknown option --bogus' -- bench phold --bogus 1
check "missing value"              2 'error: --lps needs a value' -- bench phold --lps
check "not a number"               2 "error: --lps expects a whole number, got 'many'" -- bench phold --lps many
check "negative count"             2 "error: --lps expects a whole number, got '-4'" -- bench phold --lps -4
check "probability out of range"   2 'error: --remote must be between' -- bench phold --remote 1.5
check "zero LPs"                   2 'error: --lps must be between 1 and' -- bench phold --lps 0
check "absurd event count"         2 'must not exceed 1e9 pending events' -- bench phold --lps 16000000 --events-per-lp 1000
check "duplicate option"           2 'error: --end given twice'  -- bench phold --end 1 --end 2
check "threads not yet parallel"   2 'parallel executor is not built yet' -- bench phold --threads 2

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
