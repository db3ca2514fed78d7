#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine. Installs what it needs (Debian's chromium and postgresql) when
# missing, type-checks and lints, runs Vitest (unit + integration against the embedded API, SQLite and a
# throwaway PostgreSQL), builds the console into its own folder and runs Playwright against the production
# build. Every server it uses is started and stopped by the suites themselves. Last line: `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
# The suite pins everything its servers read (seed, ports, data folder, keys, limits): it runs in a clean
# environment with only this short allow-list from the caller's shell, so `SEED=…` or `DATABASE_URL=…` left over in
# a developer's shell cannot change what the tests see. TEST_DATABASE_URL and CI are the suite's own knobs.
if [ -z "${SESSION_CONSOLE_TEST_ENV:-}" ]; then
  keep=(PATH HOME USER LOGNAME SHELL LANG LC_ALL TERM TMPDIR CI TEST_DATABASE_URL)
  pass=()
  for name in "${keep[@]}"; do [ -n "${!name+x}" ] && pass+=("$name=${!name}"); done
  exec env -i "${pass[@]}" SESSION_CONSOLE_TEST_ENV=1 bash scripts/test.sh "$@"
fi
export NEXT_TELEMETRY_DISABLED=1 CLERK_TELEMETRY_DISABLED=1
mkdir -p test-results
rm -f test-results/vitest.json test-results/e2e.json test-results/checks.txt

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]} (apt)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

check() { # name, command…
  local name=$1; shift
  echo "== $name"
  if "$@"; then echo "pass $name" >> test-results/checks.txt; else echo "fail $name" >> test-results/checks.txt; fi
}

# Side by side: each is one single-threaded process, and the machine has two cores.
check typecheck npx tsc --noEmit &
check lint bash -c "npx eslint --max-warnings 0 . && npx prettier --check . >/dev/null" &
wait

echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_rc=$?

echo "== build (production, into .next-test)"
export NEXT_DIST_DIR=.next-test
# The type check above covered every file; the build does not check the same files a second time.
if CONSOLE_BUILD_TYPECHECKED=1 node node_modules/next/dist/bin/next build > test-results/build.log 2>&1; then
  echo "pass build" >> test-results/checks.txt
  check bundles node scripts/check-bundles.mjs
  echo "== playwright"
  npx playwright test
else
  tail -40 test-results/build.log
  echo "fail build" >> test-results/checks.txt
fi

node scripts/test-summary.mjs
