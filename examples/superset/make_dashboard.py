"""Writes analytics_dashboard/, a Superset export of two dashboards over the
rollup tables: "API usage and searches" (API usage, searches, resources, the
data API and the report's requests per day) and "Traffic: visitors, volume,
latency, errors" (daily_access_summary), with stable uuids: edit here, run
it, commit both.
tests/db/superset.sh checks every dataset, column and chart of it on a
database with rows. To import it in Superset: zip the directory
(cd examples/superset && zip -r analytics_dashboard.zip analytics_dashboard),
then Dashboards, Import, and set the database password."""
import pathlib
import uuid

import yaml

root = pathlib.Path(__file__).resolve().parent / 'analytics_dashboard'
NS = uuid.UUID('5f0c3a52-8c1e-4a8e-9d0b-6a1f2f6b7c01')
def uid(name): return str(uuid.uuid5(NS, name))
def dump(path, data):
    p = root / path
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
DB = uid('database')
dump('metadata.yaml', {'version': '1.0.0', 'type': 'Dashboard', 'timestamp': '2026-12-02T00:00:00+00:00'})
dump('databases/analytics.yaml', {
    'database_name': 'analytics',
    'sqlalchemy_uri': 'postgresql://superset:XXXXXXXXXX@localhost:5432/analytics',
    'cache_timeout': None, 'expose_in_sqllab': True, 'allow_run_async': False, 'allow_ctas': False,
    'allow_cvas': False, 'allow_dml': False, 'allow_file_upload': False,
    'extra': {'allows_virtual_table_explore': True}, 'impersonate_user': False,
    'uuid': DB, 'version': '1.0.0'})
def column(name, typ, dttm=False):
    return {'column_name': name, 'verbose_name': None, 'is_dttm': dttm, 'is_active': True,
            'type': typ, 'advanced_data_type': None, 'groupby': True, 'filterable': True,
            'expression': None, 'description': None, 'python_date_format': None, 'extra': {}}
def dataset(name, dttm, columns, sql='', description=None):
    d = {'table_name': name, 'main_dttm_col': dttm, 'description': description,
         'default_endpoint': None, 'offset': 0, 'cache_timeout': None, 'catalog': None,
         'schema': 'analytics', 'sql': sql, 'params': None, 'template_params': None,
         'filter_select_enabled': True, 'fetch_values_predicate': None, 'extra': None,
         'normalize_columns': False, 'always_filter_main_dttm': False, 'uuid': uid('dataset ' + name),
         'metrics': [{'metric_name': 'count', 'verbose_name': 'COUNT(*)', 'metric_type': 'count',
                      'expression': 'COUNT(*)', 'description': None, 'd3format': None,
                      'currency': None, 'extra': {}, 'warning_text': None}],
         'columns': [column(n, t, n == dttm) for n, t in columns],
         'version': '1.0.0', 'database_uuid': DB}
    dump('datasets/analytics/%s.yaml' % name, d)
    return d
api = dataset('daily_api_usage_metrics', 'metric_date', [
    ('metric_date', 'DATE'), ('endpoint', 'TEXT'), ('method', 'TEXT'), ('status_code', 'INTEGER'),
    ('tier_id', 'INTEGER'), ('api_key_id', 'BIGINT'), ('client_name', 'TEXT'),
    ('client_channel', 'TEXT'), ('source_host', 'TEXT'), ('requests_count', 'BIGINT'),
    ('unique_visits_count', 'BIGINT'), ('avg_response_time_ms', 'NUMERIC(14, 2)')])
search = dataset('daily_search_metrics', 'metric_date', [
    ('metric_date', 'DATE'), ('client_name', 'TEXT'), ('view', 'TEXT'), ('search_field', 'TEXT'),
    ('sort', 'TEXT'), ('searches_count', 'BIGINT'), ('zero_results_count', 'BIGINT'),
    ('total_results_count', 'BIGINT'), ('total_impressions_count', 'BIGINT')])
resource = dataset('daily_resource_metrics', 'metric_date', [
    ('metric_date', 'DATE'), ('resource_id', 'TEXT'), ('event_type', 'TEXT'),
    ('client_name', 'TEXT'), ('event_count', 'BIGINT')])
dataapi = dataset('dataapi_summary_daily', 'bucket_daily', [
    ('bucket_daily', 'TIMESTAMP WITH TIME ZONE'), ('user_name', 'TEXT'), ('org_name', 'TEXT'),
    ('status_code', 'INTEGER'), ('layers', 'TEXT'), ('request', 'TEXT'), ('is_download', 'TEXT'),
    ('download_format', 'TEXT'), ('full_download', 'TEXT'), ('user_agent_family', 'TEXT'),
    ('nb_req', 'BIGINT'), ('avg_time', 'DOUBLE PRECISION'),
    ('response_time_median', 'DOUBLE PRECISION'), ('response_time_p95', 'DOUBLE PRECISION')])
access = dataset('daily_access_summary', 'metric_date', [
    ('metric_date', 'DATE'), ('level', 'TEXT'), ('app_name', 'TEXT'), ('service', 'TEXT'),
    ('layers', 'TEXT'), ('endpoint', 'TEXT'), ('hour_of_day', 'SMALLINT'), ('requests', 'BIGINT'),
    ('visitors', 'BIGINT'), ('bytes_sent', 'NUMERIC'), ('response_time_p50', 'DOUBLE PRECISION'),
    ('response_time_p95', 'DOUBLE PRECISION'), ('response_time_p99', 'DOUBLE PRECISION'),
    ('status_4xx', 'BIGINT'), ('status_5xx', 'BIGINT')],
    description='Every request of a local day at the level named by "level" (total, app, service, '
                'layer, endpoint, hour): filter on one level, or the rows are counted several times.')
country = dataset('daily_country_summary', 'metric_date', [
    ('metric_date', 'DATE'), ('app_name', 'TEXT'), ('country_code', 'TEXT'), ('requests', 'BIGINT'),
    ('visitors', 'BIGINT')],
    description='Requests and unique visitors per local day, application and country '
                '(only with geoip.database set).')
daily_sql = """-- analytics report's requests per day: every request (daily_api_usage_metrics)
-- and the OGC requests (ogc_summary_daily), per local day.
WITH zone AS (SELECT timezone FROM analytics.settings),
api AS (
    SELECT metric_date AS day, sum(requests_count) AS requests
    FROM analytics.daily_api_usage_metrics GROUP BY 1
), ogc AS (
    SELECT (bucket_daily AT TIME ZONE (SELECT timezone FROM zone))::date AS day,
           sum(nb_req) AS ogc_requests
    FROM analytics.ogc_summary_daily GROUP BY 1
)
SELECT day::timestamp AS metric_date, coalesce(api.requests, 0) AS requests,
       coalesce(ogc.ogc_requests, 0) AS ogc_requests
FROM api FULL JOIN ogc USING (day)
"""
daily = dataset('analytics_requests_daily', 'metric_date', [
    ('metric_date', 'TIMESTAMP WITHOUT TIME ZONE'), ('requests', 'NUMERIC'), ('ogc_requests', 'NUMERIC')],
    sql=daily_sql, description='Requests and OGC requests per local day, as analytics report shows them.')
def metric(col, typ, label, aggregate='SUM'):
    return {'aggregate': aggregate, 'column': {'column_name': col, 'type': typ}, 'expressionType': 'SIMPLE',
            'hasCustomLabel': True, 'label': label, 'sqlExpression': None}
dashboards = {}  # title -> charts, in order
charts = []
def chart(name, viz, ds, params):
    c = {'slice_name': name, 'description': None, 'certified_by': None,
         'certification_details': None, 'viz_type': viz,
         'params': dict({'viz_type': viz, 'adhoc_filters': [], 'extra_form_data': {}}, **params),
         'query_context': None, 'cache_timeout': None, 'uuid': uid('chart ' + name),
         'version': '1.0.0', 'dataset_uuid': ds['uuid']}
    dump('charts/%s.yaml' % name.replace(' ', '_').replace(',', '').replace('(', '').replace(')', ''), c)
    charts.append(c)
time_filter = lambda col: [{'clause': 'WHERE', 'comparator': 'No filter', 'expressionType': 'SIMPLE',
                            'operator': 'TEMPORAL_RANGE', 'subject': col}]
chart('Requests and OGC requests per day', 'echarts_timeseries_line', daily, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('requests', 'NUMERIC', 'requests'), metric('ogc_requests', 'NUMERIC', 'OGC requests')],
    'groupby': [], 'adhoc_filters': time_filter('metric_date')})
chart('API requests per day by status', 'echarts_timeseries_bar', api, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('requests_count', 'BIGINT', 'requests')], 'groupby': ['status_code'],
    'stack': 'Stack', 'adhoc_filters': time_filter('metric_date')})
chart('Top API endpoints', 'table', api, {
    'query_mode': 'aggregate', 'groupby': ['endpoint', 'method'],
    'metrics': [metric('requests_count', 'BIGINT', 'requests'), metric('unique_visits_count', 'BIGINT', 'visits')],
    'row_limit': 50, 'order_desc': True, 'adhoc_filters': time_filter('metric_date')})
chart('API clients', 'pie', api, {
    'groupby': ['client_name'], 'metric': metric('requests_count', 'BIGINT', 'requests'),
    'row_limit': 20, 'adhoc_filters': time_filter('metric_date')})
chart('Searches per day', 'echarts_timeseries_bar', search, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('searches_count', 'BIGINT', 'searches'),
                metric('zero_results_count', 'BIGINT', 'searches without result')],
    'groupby': [], 'adhoc_filters': time_filter('metric_date')})
chart('Searches by view and field', 'table', search, {
    'query_mode': 'aggregate', 'groupby': ['view', 'search_field'],
    'metrics': [metric('searches_count', 'BIGINT', 'searches'),
                metric('total_impressions_count', 'BIGINT', 'results shown')],
    'row_limit': 50, 'adhoc_filters': time_filter('metric_date')})
chart('Top resources', 'table', resource, {
    'query_mode': 'aggregate', 'groupby': ['resource_id', 'event_type'],
    'metrics': [metric('event_count', 'BIGINT', 'events')], 'row_limit': 50,
    'adhoc_filters': time_filter('metric_date')})
chart('Data API requests by layer', 'echarts_timeseries_bar', dataapi, {
    'x_axis': 'bucket_daily', 'time_grain_sqla': 'P1D',
    'metrics': [metric('nb_req', 'BIGINT', 'requests')], 'groupby': ['layers'],
    'stack': 'Stack', 'adhoc_filters': time_filter('bucket_daily')})
chart('Data API downloads by format', 'pie', dataapi, {
    'groupby': ['download_format'], 'metric': metric('nb_req', 'BIGINT', 'requests'),
    'adhoc_filters': time_filter('bucket_daily')})
dashboards['API usage and searches'] = charts
# Every row of daily_access_summary is of one level: each chart filters on it.
level = lambda name, col='metric_date': time_filter(col) + [
    {'clause': 'WHERE', 'comparator': name, 'expressionType': 'SIMPLE', 'operator': '==',
     'subject': 'level'}]
charts = []
chart('Requests and unique visitors per day', 'echarts_timeseries_line', access, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('requests', 'BIGINT', 'requests'), metric('visitors', 'BIGINT', 'unique visitors')],
    'groupby': [], 'adhoc_filters': level('total')})
chart('Bytes served per day', 'echarts_timeseries_bar', access, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('bytes_sent', 'NUMERIC', 'bytes served')], 'groupby': [],
    'y_axis_format': 'SMART_NUMBER', 'adhoc_filters': level('total')})
chart('Response time per day (p50, p95, p99)', 'echarts_timeseries_line', access, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('response_time_p50', 'DOUBLE PRECISION', 'p50 (ms)', 'MAX'),
                metric('response_time_p95', 'DOUBLE PRECISION', 'p95 (ms)', 'MAX'),
                metric('response_time_p99', 'DOUBLE PRECISION', 'p99 (ms)', 'MAX')],
    'groupby': [], 'adhoc_filters': level('total')})
chart('Client and server errors per day', 'echarts_timeseries_bar', access, {
    'x_axis': 'metric_date', 'time_grain_sqla': 'P1D',
    'metrics': [metric('status_4xx', 'BIGINT', '4xx'), metric('status_5xx', 'BIGINT', '5xx')],
    'groupby': [], 'stack': 'Stack', 'adhoc_filters': level('total')})
chart('Requests by hour of day', 'echarts_timeseries_bar', access, {
    'x_axis': 'hour_of_day', 'metrics': [metric('requests', 'BIGINT', 'requests')], 'groupby': [],
    'adhoc_filters': level('hour')})
chart('Top layers', 'table', access, {
    'query_mode': 'aggregate', 'groupby': ['layers', 'service'],
    'metrics': [metric('requests', 'BIGINT', 'requests'), metric('bytes_sent', 'NUMERIC', 'bytes'),
                metric('status_5xx', 'BIGINT', '5xx'),
                metric('response_time_p95', 'DOUBLE PRECISION', 'worst daily p95 (ms)', 'MAX')],
    'row_limit': 50, 'order_desc': True, 'adhoc_filters': level('layer')})
chart('Top endpoints', 'table', access, {
    'query_mode': 'aggregate', 'groupby': ['app_name', 'endpoint'],
    'metrics': [metric('requests', 'BIGINT', 'requests'), metric('status_4xx', 'BIGINT', '4xx'),
                metric('status_5xx', 'BIGINT', '5xx'), metric('bytes_sent', 'NUMERIC', 'bytes')],
    'row_limit': 50, 'order_desc': True, 'adhoc_filters': level('endpoint')})
chart('Requests by application', 'pie', access, {
    'groupby': ['app_name'], 'metric': metric('requests', 'BIGINT', 'requests'),
    'row_limit': 20, 'adhoc_filters': level('app')})
chart('Requests and visitors by country', 'table', country, {
    'query_mode': 'aggregate', 'groupby': ['country_code'],
    'metrics': [metric('requests', 'BIGINT', 'requests'),
                metric('visitors', 'BIGINT', 'visitors (per day, added up)')],
    'row_limit': 100, 'order_desc': True, 'adhoc_filters': time_filter('metric_date')})
dashboards['Traffic: visitors, volume, latency, errors'] = charts


def layout(title, board_charts):
    position = {'DASHBOARD_VERSION_KEY': 'v2',
                'ROOT_ID': {'children': ['GRID_ID'], 'id': 'ROOT_ID', 'type': 'ROOT'},
                'HEADER_ID': {'id': 'HEADER_ID', 'meta': {'text': title}, 'type': 'HEADER'},
                'GRID_ID': {'children': [], 'id': 'GRID_ID', 'parents': ['ROOT_ID'], 'type': 'GRID'}}
    for r in range(0, len(board_charts), 3):
        row = 'ROW-%d' % (r // 3)
        position['GRID_ID']['children'].append(row)
        position[row] = {'children': [], 'id': row, 'meta': {'background': 'BACKGROUND_TRANSPARENT'},
                         'parents': ['ROOT_ID', 'GRID_ID'], 'type': 'ROW'}
        for i, c in enumerate(board_charts[r:r + 3]):
            cid = 'CHART-%d' % (r + i)
            position[row]['children'].append(cid)
            position[cid] = {'children': [], 'id': cid, 'meta': {'chartId': r + i + 1, 'height': 50,
                             'sliceName': c['slice_name'], 'uuid': c['uuid'], 'width': 4},
                             'parents': ['ROOT_ID', 'GRID_ID', row], 'type': 'CHART'}
    return position


for title, board_charts in dashboards.items():
    first = title == 'API usage and searches'  # its uuid predates the second dashboard
    dump('dashboards/%s.yaml' % title.split(':')[0].replace(' ', '_'), {
        'dashboard_title': title, 'description': None, 'css': '', 'slug': None,
        'certified_by': '', 'certification_details': '', 'published': True,
        'uuid': uid('dashboard' if first else 'dashboard ' + title), 'position': layout(title, board_charts),
        'metadata': {'color_scheme': '', 'refresh_frequency': 0, 'expanded_slices': {},
                     'label_colors': {}, 'timed_refresh_immune_slices': [], 'cross_filters_enabled': True,
                     'default_filters': '{}', 'chart_configuration': {}, 'native_filter_configuration': []},
        'version': '1.0.0'})
