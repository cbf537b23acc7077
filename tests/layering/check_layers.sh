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
    folder=$(basename "$dir")
    [[ -n ${rank[$folder]:-} ]] || fail "lib/analytics/$folder/ is not in README's layers line"
done

# Every #include <analytics/FOLDER/...> (or "analytics/FOLDER/...") of a file
# in lib/analytics/FOLDER or apps/.
while IFS=: read -r file number text; do
    rel=${file#"$src"/}
    case $rel in
    lib/analytics/*/*) from=${rel#lib/analytics/} from=${from%%/*} ;;
    apps/*) from=apps ;;
    *) continue ;;
    esac
    to=$(sed -E 's|.*[<"]analytics/([a-z_]+)/.*|\1|' <<<"$text")
    [[ $to == "$from" ]] && continue
    if [[ -z ${rank[$to]:-} ]]; then
        fail "$rel:$number: includes analytics/$to/, which is not in README's layers line"
    elif [[ -z ${rank[$from]:-} ]]; then
        : # reported above
    elif ((rank[$to] >= rank[$from])); then
        fail "$rel:$number: $from/ includes $to/ (layers: $from may include only folders below it)"
    fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]analytics/[a-z_]+/' \
    "$src/lib/analytics" "$src/apps")

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
