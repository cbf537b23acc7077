"""Checks a Superset dashboard export (a .zip or its unpacked directory)
against the database analytics is configured for, as Superset would use it:
every dataset's database is in the export; a physical dataset's table exists,
has rows and every column the dataset names (an expression column or a metric
is evaluated); a virtual dataset's SQL runs, returns rows and gives every
column named; every chart's dataset is in the export and the columns its
parameters name are the dataset's; every chart a dashboard places is in it.
Usage: superset_export.py EXPORT   (ANALYTICS names the binary)"""
import os
import pathlib
import subprocess
import sys
import zipfile

import yaml


def read_export(path):
    files = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".yaml"):
                    files[name.split("/", 1)[1]] = yaml.safe_load(z.read(name))
    else:
        root = pathlib.Path(path)
        for f in root.rglob("*.yaml"):
            files[str(f.relative_to(root))] = yaml.safe_load(f.read_text())
    return files


def sql(query):
    run = subprocess.run([os.environ["ANALYTICS"], "db", "psql", "-X", "-v", "ON_ERROR_STOP=1",
                          "-At", "-c", query], capture_output=True, text=True)
    if run.returncode != 0:
        raise AssertionError("%s\n%s" % (run.stderr.strip(), query))
    return run.stdout.strip()


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def chart_columns(params):
    """The dataset columns a chart's form data names."""
    found = set()

    def walk(node, key=None):
        if isinstance(node, dict):
            if isinstance(node.get("column_name"), str):
                found.add(node["column_name"])
            if node.get("expressionType") == "SIMPLE" and isinstance(node.get("subject"), str):
                found.add(node["subject"])
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("x_axis", "granularity_sqla", "groupby",
                                                "columns", "all_columns", "series", "entity"):
            found.add(node)

    walk(params)
    return found


def main(path):
    files = read_export(path)
    databases = {f["uuid"] for n, f in files.items() if n.startswith("databases/")}
    datasets = {n: f for n, f in files.items() if n.startswith("datasets/")}
    charts = {n: f for n, f in files.items() if n.startswith("charts/")}
    dashboards = {n: f for n, f in files.items() if n.startswith("dashboards/")}
    assert datasets, "no dataset in %s" % path
    checked, names = 0, {}
    for name, ds in sorted(datasets.items()):
        where = "dataset %s (%s)" % (ds["table_name"], name)
        assert ds["database_uuid"] in databases, where + ": its database is not in the export"
        columns = [c["column_name"] for c in ds.get("columns") or []]
        if (ds.get("sql") or "").strip():
            source = "(%s) AS q" % ds["sql"].strip().rstrip(";")
        else:
            source = "%s.%s" % (quote(ds["schema"]), quote(ds["table_name"]))
        try:
            rows = int(sql("SELECT count(*) FROM %s" % source))
            assert rows > 0, "no rows"
            for c in ds.get("columns") or []:
                expr = c.get("expression") or quote(c["column_name"])
                sql("SELECT %s FROM %s LIMIT 1" % (expr, source))
                checked += 1
            for m in ds.get("metrics") or []:
                sql("SELECT %s FROM %s" % (m["expression"], source))
                checked += 1
        except AssertionError as e:
            raise AssertionError("%s: %s" % (where, e))
        names[ds["uuid"]] = (ds["table_name"], set(columns) |
                             {m["metric_name"] for m in ds.get("metrics") or []})
        print("%s: %d rows, %d columns" % (where, rows, len(columns)))
    chart_uuids = set()
    for name, chart in sorted(charts.items()):
        assert chart["dataset_uuid"] in names, "chart %s: its dataset is not in the export" % name
        table, known = names[chart["dataset_uuid"]]
        unknown = chart_columns(chart.get("params") or {}) - known
        assert not unknown, "chart %s names %s, not columns of %s" % (name, sorted(unknown), table)
        chart_uuids.add(chart["uuid"])
    for name, board in dashboards.items():
        for item in (board.get("position") or {}).values():
            if isinstance(item, dict) and item.get("type") == "CHART":
                assert item["meta"]["uuid"] in chart_uuids, \
                    "dashboard %s places a chart not in the export" % name
    print("%s: %d datasets, %d columns and metrics, %d charts, %d dashboards: ok"
          % (os.path.basename(path.rstrip("/")), len(datasets), checked, len(charts),
             len(dashboards)))


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except AssertionError as e:
        sys.exit("FAIL: %s" % e)
