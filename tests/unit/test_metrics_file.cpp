#include <analytics/util/metrics_file.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <system_error>
#include <unistd.h>

using analytics::MetricsFile;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in{path};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace

TEST_SUITE("metrics file") {
    TEST_CASE("Prometheus text format, one HELP/TYPE per metric, no timestamps") {
        MetricsFile m{"ingest"};
        m.gauge("analytics_rows_total", "Rows.", 12, "table=\"access_logs\"");
        m.gauge("analytics_rows_total", "Rows.", 3, "table=\"events\"");
        CHECK(m.render() == "# HELP analytics_rows_total Rows.\n"
                            "# TYPE analytics_rows_total gauge\n"
                            "analytics_rows_total{command=\"ingest\",table=\"access_logs\"} 12\n"
                            "analytics_rows_total{command=\"ingest\",table=\"events\"} 3\n");
    }

    TEST_CASE("samples added interleaved are written grouped per metric, in first-seen order") {
        MetricsFile m{"maintain"};
        m.gauge("step_seconds", "Step duration.", 1, "step=\"a\"");
        m.gauge("step_success", "Step success.", 1, "step=\"a\"");
        m.gauge("step_seconds", "Step duration.", 2, "step=\"b\"");
        m.gauge("step_success", "Step success.", 0, "step=\"b\"");
        CHECK(m.render() == "# HELP step_seconds Step duration.\n"
                            "# TYPE step_seconds gauge\n"
                            "step_seconds{command=\"maintain\",step=\"a\"} 1\n"
                            "step_seconds{command=\"maintain\",step=\"b\"} 2\n"
                            "# HELP step_success Step success.\n"
                            "# TYPE step_success gauge\n"
                            "step_success{command=\"maintain\",step=\"a\"} 1\n"
                            "step_success{command=\"maintain\",step=\"b\"} 0\n");
    }

    TEST_CASE("written atomically; a failed run keeps the last success time") {
        const std::string path = "/tmp/analytics-unit-" + std::to_string(::getpid()) + ".prom";
        MetricsFile ok{"maintain"};
        ok.add_run_metrics(1000.0, 2.5, 0, path);
        CHECK(ok.write(path));
        CHECK(slurp(path).find("analytics_last_success_timestamp_seconds{command=\"maintain\"} "
                               "1002.500000") != std::string::npos);
        MetricsFile failed{"maintain"};
        failed.add_run_metrics(2000.0, 1.0, 69, path);
        CHECK(failed.write(path));
        const auto text = slurp(path);
        CHECK(text.find("analytics_last_exit_code{command=\"maintain\"} 69") != std::string::npos);
        CHECK(text.find("analytics_last_success_timestamp_seconds{command=\"maintain\"} "
                        "1002.500000") != std::string::npos);
        std::remove(path.c_str());
    }

    TEST_CASE("a missing directory (no node_exporter) writes nothing and is no error") {
        const std::string dir = "/tmp/analytics-unit-missing-" + std::to_string(::getpid());
        MetricsFile m{"maintain"};
        m.add_run_metrics(1000.0, 1.0, 0, dir + "/analytics-maintain.prom");
        CHECK_FALSE(m.write(dir + "/analytics-maintain.prom"));
        CHECK(::access(dir.c_str(), F_OK) != 0);
        // A directory that exists but is a file is still an error.
        const std::string file = dir + ".file";
        std::ofstream{file} << "x";
        CHECK_THROWS_AS(m.write(file + "/analytics-maintain.prom"), std::system_error);
        std::remove(file.c_str());
    }

    TEST_CASE("geOrchestra's names beside ours, with its command names as labels") {
        const std::string path = "/tmp/analytics-unit-geor-" + std::to_string(::getpid()) + ".prom";
        CHECK(analytics::georchestra_command_name("process") == "buffer2db");
        CHECK(analytics::georchestra_command_name("ingest") == "file2db");
        CHECK(analytics::georchestra_command_name("maintain") == "maintain");
        MetricsFile plain{"process"};
        plain.add_run_metrics(1000.0, 2.5, 0, path);
        CHECK(plain.render().find("job_") == std::string::npos);

        MetricsFile m{"process"};
        m.set_georchestra_names(true);
        m.add_run_metrics(1000.0, 2.5, 0, path);
        const auto text = m.render();
        CHECK(text.find("# TYPE job_duration_seconds summary\n"
                        "job_duration_seconds_count{command=\"buffer2db\"} 1\n"
                        "job_duration_seconds_sum{command=\"buffer2db\"} 2.500000\n") !=
              std::string::npos);
        CHECK(text.find("# TYPE job_last_success_unixtime gauge\n"
                        "job_last_success_unixtime{command=\"buffer2db\"} 1002.500000\n") !=
              std::string::npos);
        CHECK(text.find("analytics_run_duration_seconds{command=\"process\"} 2.500000") !=
              std::string::npos);
        m.write(path);

        // A failed run carries the last success over; a push leaves it out.
        MetricsFile failed{"process"};
        failed.set_georchestra_names(true);
        failed.add_run_metrics(2000.0, 1.0, 69, path);
        CHECK(
            failed.render().find("job_last_success_unixtime{command=\"buffer2db\"} 1002.500000") !=
            std::string::npos);
        const auto pushed = failed.render(false);
        CHECK(pushed.find("last_success") == std::string::npos);
        CHECK(pushed.find("job_duration_seconds_count{command=\"buffer2db\"} 1") !=
              std::string::npos);
        std::remove(path.c_str());
    }
}
