#pragma once

// A Prometheus Pushgateway client over libcurl: what a short cron run uses
// instead of (or besides) node_exporter's textfile collector.

#include <string>

namespace analytics {

struct PushgatewayTarget {
    std::string url;          // http(s)://host:port, maybe with a path prefix
    std::string job;          // geOrchestra's "analytics-cli" by default
    std::string instance;     // the command: one group per command, see group_url
    int timeout_seconds = 10; // the whole exchange, connection included
};

// <url>/metrics/job/<job>/instance/<instance>, names percent-encoded. The
// instance keeps one command's push from replacing another's: a group is
// replaced as a whole, and process and maintain push the same metric names.
std::string pushgateway_group_url(const PushgatewayTarget& target);

// Sends 'body' (text exposition format) to the target's group: PUT replaces
// the group, POST only the metrics it names. Throws std::runtime_error saying
// what failed (the URL's password masked) on a transport error, a timeout or
// a status other than 2xx.
void push_metrics(const PushgatewayTarget& target, const std::string& body, bool replace);

} // namespace analytics
