#include <analytics/storage/size_report.hpp>

#include <doctest/doctest.h>

#include <ostream>

using namespace analytics::storage;

namespace {

SizeReport sample() {
    SizeReport r;
    r.schema = "analytics";
    RelationSize parent{"access_logs", "partitioned", "",        30, 3072, 1024, 0,
                        4096,          "2026-10",     "2026-11", {}, {}};
    parent.partitions.push_back({"access_logs_p202611",
                                 "partition",
                                 "access_logs",
                                 20,
                                 2048,
                                 512,
                                 0,
                                 2560,
                                 "2026-11",
                                 "2026-11",
                                 {},
                                 {}});
    parent.partitions.push_back({"access_logs_p202610",
                                 "partition",
                                 "access_logs",
                                 10,
                                 1024,
                                 512,
                                 0,
                                 1536,
                                 "2026-10",
                                 "2026-10",
                                 {},
                                 {}});
    r.relations.push_back(parent);
    r.relations.push_back({"settings", "table", "", 1, 8192, 16384, 8192, 32768, "", "", {}, {}});
    r.total = {"TOTAL", "total", "", 31, 11264, 17408, 8192, 36864, "2026-10", "2026-11", {}, {}};
    r.table_count = 2;
    r.partition_count = 2;
    return r;
}

} // namespace

TEST_SUITE("size report rendering") {
    TEST_CASE("human bytes") {
        CHECK(human_bytes(0) == "0 B");
        CHECK(human_bytes(1023) == "1023 B");
        CHECK(human_bytes(1536) == "1.5 KB");
        CHECK(human_bytes(8LL * 1024 * 1024 * 1024) == "8.0 GB");
    }

    TEST_CASE("text: partitions under their parent, totals last") {
        const auto text = render_text(sample());
        CHECK(text.find("relation") == 0);
        CHECK(text.find("access_logs ") < text.find("  access_logs_p202611"));
        CHECK(text.find("  access_logs_p202611") < text.find("  access_logs_p202610"));
        CHECK(text.find("2026-10..2026-11") != std::string::npos);
        CHECK(text.find("TOTAL (2 tables, 2 partitions)") != std::string::npos);
        CHECK(text.find("rows (est.)") != std::string::npos);
    }

    TEST_CASE("json and csv") {
        const auto j = to_json(sample());
        CHECK(j["relations"][0]["partitions"].size() == 2);
        CHECK(j["relations"][1]["first_month"].is_null());
        CHECK(j["total"]["total_bytes"] == 36864);
        CHECK(j["rows"] == "estimated");
        const auto csv = render_csv(sample());
        CHECK(csv.find("relation,parent,kind,rows,table_bytes") == 0);
        CHECK(csv.find("access_logs_p202610,access_logs,partition,10,1024,512,0,1536,2026-10,"
                       "2026-10\n") != std::string::npos);
        CHECK(csv.find("TOTAL,,total,31,") != std::string::npos);
    }

    TEST_CASE("an empty schema says so") {
        SizeReport empty;
        empty.schema = "nothing";
        CHECK(render_text(empty).find("No tables in schema \"nothing\"") == 0);
    }
}
