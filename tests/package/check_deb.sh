#!/usr/bin/env bash
# Builds the .deb, checks it with lintian, installs it with dpkg into a temporary root and
# checks what it installs: dependencies, the binary, man pages, completions, configuration
# (conffiles), copyright and changelog, the systemd units, removal. Then, as root on a
# machine without the package, installs it for real (tests/package/service_user.sh): the
# system user, its home, the units, root's demo and the service side by side, purge.
# usage: tests/package/check_deb.sh BUILD_DIR
#        (needs dpkg-dev, file, man-db, lintian, zsh, fish, systemd, adduser)
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
dpkg-deb -e "$deb" "$TMP/DEBIAN"

# Debian's own checks: no error (warnings and notes are shown).
lintian --fail-on error --tag-display-limit 0 "$deb" >"$TMP/lintian.log" 2>&1 \
    || { cat "$TMP/lintian.log"; fail "lintian reports errors on $(basename "$deb")"; }
sed 's/^/lintian: /' "$TMP/lintian.log"
for script in postinst prerm postrm; do
    [ -x "$TMP/DEBIAN/$script" ] || fail "no $script maintainer script"
done
maintainer=$(dpkg-deb -f "$deb" Maintainer)
[[ $maintainer == *"<"*"@"*">" && $maintainer != *localhost* ]] || fail "Maintainer is not a real address: $maintainer"

# Installed by dpkg into an empty root of its own (its database included),
# as an admin's 'apt install ./analytics_*.deb' would; the machine's own
# packages stand for the dependencies, which apt must be able to satisfy.
apt-get install --simulate -qq "$deb" >"$TMP/apt.log" 2>&1 \
    || { cat "$TMP/apt.log"; fail "apt-get cannot satisfy the package's dependencies"; }
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates" "$ROOT/var/lib/dpkg/triggers"
: >"$ROOT/var/lib/dpkg/status"
# The maintainer scripts run outside the root, with DPKG_ROOT set: they change nothing there
# (service_user.sh tests them on the machine itself).
root_dpkg() { dpkg --root="$ROOT" --log=/dev/null --force-depends --force-not-root --force-script-chrootless "$@"; }
root_dpkg -i "$deb" >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -i into $ROOT"; }
[ "$(dpkg-query --root="$ROOT" -W -f='${Status}' analytics)" = "install ok installed" ] \
    || fail "dpkg does not record analytics as installed"
for conffile in /etc/analytics/config.yaml /etc/default/analytics; do
    dpkg-query --root="$ROOT" -W -f='${Conffiles}' analytics | grep -q "$conffile" \
        || fail "dpkg did not register $conffile as a conffile"
done

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"
for want in libpqxx libre2 libyaml-cpp libsimdjson libdate-tz libpq5 zlib1g libcurl4 uap-core tzdata adduser; do
    [[ "$depends" == *"$want"* ]] || fail "Depends has no $want"
done
[[ "$(dpkg-deb -f "$deb" Recommends)" == *postgresql* ]] || fail "Recommends has no postgresql"
grep -qx /etc/analytics/config.yaml "$TMP/DEBIAN/conffiles" 2>/dev/null || fail "/etc/analytics/config.yaml is not a conffile"
outside='^/(etc|usr|lib/systemd/system)(/|$)|^/(lib|lib/systemd|\.)$'
[ -z "$(dpkg-query --root="$ROOT" -L analytics | grep -Ev "$outside")" ] \
    || fail "files outside /etc, /usr and /lib/systemd/system: $(dpkg-query --root="$ROOT" -L analytics | grep -Ev "$outside")"

bin=$ROOT/usr/bin/analytics
version=$(dpkg-deb -f "$deb" Version)
upstream=${version%-*} # less the Debian revision
out=$("$bin" --version) || fail "analytics --version exited $?"
[[ "$out" == "analytics $upstream "* ]] || fail "analytics --version printed [$out], expected analytics $upstream"
"$bin" ingest --dry-run -q "$SRC/examples/logs/access.log.gz" >/dev/null || fail "analytics ingest --dry-run of the sample log exited $?"

man -M "$ROOT/usr/share/man" -w analytics-maintain >/dev/null 2>&1 || fail "man -M ROOT/usr/share/man does not find analytics-maintain"
for page in "$ROOT"/usr/share/man/man1/*.1.gz; do
    name=$(basename "$page" .1.gz)
    text=$(MANWIDTH=80 man -l "$page" 2>/dev/null) || fail "man -l $name.1.gz exited $?"
    [[ "$(grep -A1 '^NAME' <<<"$text")" == *"$name"* ]] || fail "man page $name.1.gz: no NAME section naming $name"
done
[ -f "$ROOT/usr/share/man/man1/analytics.1.gz" ] || fail "no analytics.1.gz"

# 'analytics ma<TAB>' and the rest, in each shell, from the installed files.
for installed in bash:bash-completion/completions/analytics zsh:zsh/vendor-completions/_analytics \
    fish:fish/vendor_completions.d/analytics.fish; do
    file=$ROOT/usr/share/${installed#*:}
    [ -f "$file" ] || { fail "no ${installed%%:*} completion at /usr/share/${installed#*:}"; continue; }
    "$SRC/tests/cli/check_shell_completion.sh" "${installed%%:*}" "$file" \
        || fail "the installed ${installed%%:*} completion (see FAIL lines above)"
done

config=$ROOT/etc/analytics/config.yaml
[ -f "$config" ] || fail "no /etc/analytics/config.yaml"
[ -f "$config" ] && { "$bin" --config "$config" config check >/dev/null || fail "analytics config check of /etc/analytics/config.yaml exited $?"; }
for f in config.yaml cron/analytics; do
    [ -f "$ROOT/usr/share/doc/analytics/examples/$f" ] || fail "no /usr/share/doc/analytics/examples/$f"
done
[ -f "$ROOT/etc/default/analytics" ] || fail "no /etc/default/analytics"
cmp -s "$ROOT/usr/share/doc/analytics/copyright" "$SRC/packaging/deb/copyright" || fail "no /usr/share/doc/analytics/copyright"
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$SRC/packaging/deb/copyright" \
    || fail "the copyright file is not in the machine-readable format"
changelog_version=$(zcat "$ROOT/usr/share/doc/analytics/changelog.Debian.gz" 2>/dev/null | sed -n '1s/^analytics (\(.*\)).*/\1/p')
[ "$changelog_version" = "$version" ] \
    || fail "changelog.Debian.gz's first entry is version [$changelog_version], the package's $version"

# The systemd units as installed, where systemd finds them, checked by systemd
# itself (any remark fails), pointing at the installed binary and man pages.
units=(analytics-maintain.service analytics-maintain.timer analytics-process.service analytics-process.timer analytics-follow.service)
mkdir -p "$TMP/units"
for unit in "${units[@]}"; do
    [ -f "$ROOT/lib/systemd/system/$unit" ] || { fail "no /lib/systemd/system/$unit"; continue; }
    cmp -s "$ROOT/lib/systemd/system/$unit" "$SRC/examples/systemd/$unit" || fail "$unit differs from examples/systemd/$unit"
    sed "s|/usr/bin/analytics|$bin|" "$ROOT/lib/systemd/system/$unit" >"$TMP/units/$unit"
    grep -q '^User=analytics$' "$TMP/units/$unit" || [[ $unit == *.timer ]] || fail "$unit does not run as User=analytics"
done
[ "$(ls "$SRC/examples/systemd" | wc -l)" -eq "${#units[@]}" ] || fail "examples/systemd has units the package does not install"
remarks=$(MANPATH=$ROOT/usr/share/man systemd-analyze verify "$TMP"/units/* 2>&1) ||
    fail "systemd-analyze verify refused the units: $remarks"
[ -z "$remarks" ] || fail "systemd-analyze verify remarks on the units: $remarks"

# Upgrading (here: reinstalling) keeps the administrator's edit of the
# configuration; removing keeps it too, purging removes it.
if [ -f "$config" ]; then
    echo "# edited by the administrator" >>"$config"
    root_dpkg -i "$deb" >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -i again"; }
    grep -q 'edited by the administrator' "$config" || fail "reinstalling overwrote the edited /etc/analytics/config.yaml"
    root_dpkg -r analytics >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -r"; }
    [ ! -e "$bin" ] || fail "dpkg -r left /usr/bin/analytics"
    [ -f "$config" ] || fail "dpkg -r removed the configuration"
    root_dpkg -P analytics >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -P"; }
    [ ! -e "$config" ] || fail "dpkg -P left /etc/analytics/config.yaml"
fi

# Installed for real: the system user and its home, root's demo and the service side by side.
"$SRC/tests/package/service_user.sh" "$deb" || fail "installing on this machine (see FAIL lines above)"

[ "$status" -eq 0 ] && echo "package checks passed: $(basename "$deb")"
exit "$status"
