#!/usr/bin/env bash
# The layering test: reads the order of the folders from the line of
# README.md that begins with "layers:" (the one place it is kept) and fails
# when a folder of lib/analytics includes a header from a folder above it or
# beside it, when a folder is missing from the order, when lib/ includes
# CLI11, or when apps/ includes libpqxx/libpq or holds SQL.
#
#   check_layers.sh SOURCE_DIR
set -uo pipefail

src=${1:?usage: check_layers.sh SOURCE_DIR}
readme="$src/README.md"

line=$(grep -m1 '^layers: ' "$readme") || {
    echo "no 'layers:' line in $readme" >&2
    exit 2
}

# Rank of each folder: its position in the order, lowest first; folders in
# one {group} share a rank and may not include each other.
declare -A rank
tier=0
IFS='|' read -r -a tiers <<<"$(sed 's/←/|/g' <<<"${line#layers: }")"
for t in "${tiers[@]}"; do
    [[ -z ${t// /} ]] && continue
    t=${t//[\{\}]/}
    for folder in ${t//,/ }; do
        rank[$folder]=$tier
    done
    ((tier++))
done
if ((tier < 2)) || [[ -z ${rank[apps]:-} ]]; then
    echo "cannot read the order from: $line" >&2
    exit 2
fi

failures=0
fail() {
    echo "$1" >&2
    failures=$((failures + 1))
}

for dir in "$src"/lib/analytics/*/; do
    folder=${dir%/}
    folder=${folder##*/}
    [[ -n ${rank[$folder]:-} ]] || fail "lib/analytics/$folder/ is not in README's layers line"
done

# Every #include <analytics/FOLDER/...> (or "analytics/FOLDER/...") of a file
# in lib/analytics/FOLDER or apps/, checked in one awk pass.
ranks=""
for folder in "${!rank[@]}"; do
    ranks+="$folder=${rank[$folder]} "
done
while IFS= read -r problem; do
    fail "$problem"
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]analytics/[a-z_]+/' \
    "$src/lib/analytics" "$src/apps" |
    awk -v src="$src/" -v ranks="$ranks" '
        BEGIN {
            n = split(ranks, pairs, " ")
            for (i = 1; i <= n; i++) {
                split(pairs[i], kv, "=")
                rank[kv[1]] = kv[2]
            }
        }
        {
            file = substr($0, 1, index($0, ":") - 1)
            rest = substr($0, length(file) + 2)
            number = substr(rest, 1, index(rest, ":") - 1)
            rel = substr(file, length(src) + 1)
            if (rel ~ /^lib\/analytics\/[^\/]+\//) {
                from = rel
                sub(/^lib\/analytics\//, "", from)
                sub(/\/.*/, "", from)
            } else if (rel ~ /^apps\//) {
                from = "apps"
            } else {
                next
            }
            match(rest, /analytics\/[a-z_]+\//)
            to = substr(rest, RSTART + 10, RLENGTH - 11)
            if (to == from || !(from in rank)) {
                next
            }
            if (!(to in rank)) {
                printf "%s:%s: includes analytics/%s/, which is not in README\047s layers line\n", rel, number, to
            } else if (rank[to] + 0 >= rank[from] + 0) {
                printf "%s:%s: %s/ includes %s/ (layers: %s may include only folders below it)\n", rel, number, from, to, from
            }
        }')

# The core library knows nothing of the command line...
while IFS= read -r hit; do
    fail "${hit#"$src"/}: lib/ includes CLI11"
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]CLI/' "$src/lib")

# ...and the binary nothing of SQL: no libpqxx or libpq (also not through
# db/session_impl.hpp), no string that begins a SQL statement.
while IFS= read -r hit; do
    fail "${hit#"$src"/}: apps/ includes libpqxx or libpq"
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](pqxx/|libpq-fe\.h|analytics/db/session_impl\.hpp)' "$src/apps")
while IFS= read -r hit; do
    fail "${hit#"$src"/}: apps/ holds SQL (statements belong in lib/ and sql/)"
done < <(grep -rnE '"[[:space:]]*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|COPY|WITH|GRANT|REVOKE|VACUUM|ANALYZE|BEGIN|COMMIT|SET)[[:space:]]' "$src/apps")

if ((failures > 0)); then
    echo "$failures layering violation(s)" >&2
    exit 1
fi
echo "layers respected: ${line#layers: }"
