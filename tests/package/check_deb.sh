#!/usr/bin/env bash
# Builds the .deb and checks what it installs: dependencies, the binary, man pages, completion, configuration.
# usage: tests/package/check_deb.sh BUILD_DIR   (needs dpkg-dev, file and man-db)
set -euo pipefail
BUILD_DIR=$(cd "${1:?usage: check_deb.sh BUILD_DIR}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/analytics-deb.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
ROOT=$TMP/root
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

rm -f "$BUILD_DIR"/analytics_*.deb
cmake --build "$BUILD_DIR" --target package >"$TMP/cpack.log" 2>&1 || { cat "$TMP/cpack.log"; echo "FAIL: building the package" >&2; exit 1; }
debs=("$BUILD_DIR"/analytics_*.deb)
[ -f "${debs[0]}" ] && [ ${#debs[@]} -eq 1 ] || { echo "FAIL: expected one analytics_*.deb in $BUILD_DIR, found: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
echo "package: $deb"
dpkg-deb -x "$deb" "$ROOT"
dpkg-deb -e "$deb" "$TMP/DEBIAN"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"
for want in libpqxx libre2 libyaml-cpp libsimdjson libdate-tz libpq5 zlib1g uap-core tzdata; do
    [[ "$depends" == *"$want"* ]] || fail "Depends has no $want"
done
[[ "$(dpkg-deb -f "$deb" Recommends)" == *postgresql* ]] || fail "Recommends has no postgresql"
grep -qx /etc/analytics/config.yaml "$TMP/DEBIAN/conffiles" 2>/dev/null || fail "/etc/analytics/config.yaml is not a conffile"
[ -z "$(find "$ROOT" -path "$ROOT/etc" -prune -o -path "$ROOT/usr" -prune -o -mindepth 1 -print)" ] \
    || fail "files outside /etc and /usr"

bin=$ROOT/usr/bin/analytics
version=$(dpkg-deb -f "$deb" Version)
out=$("$bin" --version) || fail "analytics --version exited $?"
[[ "$out" == "analytics $version "* ]] || fail "analytics --version printed [$out], expected analytics $version"
"$bin" ingest --dry-run -q "$SRC/examples/logs/access.log.gz" >/dev/null || fail "analytics ingest --dry-run of the sample log exited $?"

man -M "$ROOT/usr/share/man" -w analytics-maintain >/dev/null 2>&1 || fail "man -M ROOT/usr/share/man does not find analytics-maintain"
for page in "$ROOT"/usr/share/man/man1/*.1.gz; do
    name=$(basename "$page" .1.gz)
    text=$(MANWIDTH=80 man -l "$page" 2>/dev/null) || fail "man -l $name.1.gz exited $?"
    [[ "$(grep -A1 '^NAME' <<<"$text")" == *"$name"* ]] || fail "man page $name.1.gz: no NAME section naming $name"
done
[ -f "$ROOT/usr/share/man/man1/analytics.1.gz" ] || fail "no analytics.1.gz"

"$SRC/tests/cli/check_bash_completion.sh" "$ROOT/usr/share/bash-completion/completions/analytics" >/dev/null \
    || fail "the installed bash completion (see FAIL lines above)"
[ -f "$ROOT/usr/share/zsh/vendor-completions/_analytics" ] || fail "no zsh completion"
[ -f "$ROOT/usr/share/fish/vendor_completions.d/analytics.fish" ] || fail "no fish completion"

config=$ROOT/etc/analytics/config.yaml
[ -f "$config" ] || fail "no /etc/analytics/config.yaml"
[ -f "$config" ] && { "$bin" --config "$config" config check >/dev/null || fail "analytics config check of /etc/analytics/config.yaml exited $?"; }
for f in config.yaml cron/analytics systemd/analytics-maintain.service systemd/analytics-maintain.timer; do
    [ -f "$ROOT/usr/share/doc/analytics/examples/$f" ] || fail "no /usr/share/doc/analytics/examples/$f"
done

[ "$status" -eq 0 ] && echo "package checks passed: $(basename "$deb")"
exit "$status"
