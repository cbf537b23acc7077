#include <analytics/ingest/record_id.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

using namespace analytics;

namespace {

// The ids assign_ids gives `records` records of `line`, all at `ts_us`.
std::vector<std::string> ids_of(std::string_view line, std::size_t records,
                                ingest::OccurrenceCounter& counter, std::uint64_t source = 0) {
    parse::ParsedBatch batch;
    for (std::size_t i = 0; i < records; ++i) {
        batch.add().record.ts_us = 1000;
    }
    ingest::assign_ids(batch, line, counter, source);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        ids.push_back(batch[i].record.id);
    }
    return ids;
}

const std::string health = R"(10.0.0.1 - - [10/Dec/2025:04:39:15 +0000] "GET /health HTTP/1.1" )"
                           R"(200 2 "-" "kube-probe/1.29")";

} // namespace

TEST_SUITE("record ids") {
    TEST_CASE("moved-from counters and batches are empty and usable") {
        // Inputs read in turns swap their counters through moves; tasks are
        // reset by moving an empty one in.
        ingest::OccurrenceCounter counter;
        const std::uint64_t h = analytics::hash64("line");
        CHECK(counter.next(h, 1000) == 0);
        CHECK(counter.next(h, 1000) == 1);
        ingest::OccurrenceCounter moved(std::move(counter));
        CHECK(counter.size() == 0); // NOLINT(bugprone-use-after-move): the moved-from state
        CHECK(counter.next(h, 1000) == 0);
        CHECK(counter.next(h, 1000) == 1);
        CHECK(moved.next(h, 1000) == 2);
        ingest::OccurrenceCounter assigned;
        assigned = std::move(moved);
        CHECK(moved.size() == 0); // NOLINT(bugprone-use-after-move)
        CHECK(moved.next(h, 1000) == 0);
        CHECK(assigned.next(h, 1000) == 3);

        parse::ParsedBatch batch;
        batch.add().record.request_path.set("/a");
        batch.reject("bad record");
        parse::ParsedBatch taken(std::move(batch));
        CHECK(batch.size() == 0); // NOLINT(bugprone-use-after-move)
        CHECK(batch.rejects().empty());
        batch.add().record.request_path.set("/b");
        CHECK(batch[0].record.request_path.value() == "/b");
        REQUIRE(taken.size() == 1);
        CHECK(taken[0].record.request_path.value() == "/a");
        CHECK(taken.rejects().size() == 1);
        parse::ParsedBatch reset;
        taken = std::move(reset);
        CHECK(taken.size() == 0);
        CHECK(reset.size() == 0); // NOLINT(bugprone-use-after-move)
    }

    TEST_CASE("record ids: deterministic, identical lines numbered") {
        ingest::OccurrenceCounter counter;
        const auto h = analytics::hash64("same line");
        CHECK(h == analytics::hash64("same line"));
        CHECK(h != analytics::hash64("same line", 1));
        CHECK(h != analytics::hash64("same linf"));
        CHECK(counter.next(h, 1000) == 0);
        CHECK(counter.next(h, 1000) == 1);
        CHECK(counter.next(analytics::hash64("other"), 1000) == 0);
        std::string id;
        ingest::format_record_id(id, 0x0123456789abcdefULL, 0);
        CHECK(id == "0123456789abcdef");
        ingest::format_record_id(id, 0x0123456789abcdefULL, 2);
        CHECK(id == "0123456789abcdef-2");
    }

    TEST_CASE("record ids: memory stays bounded on long inputs") {
        ingest::OccurrenceCounter counter(60LL * 1'000'000);
        for (std::int64_t i = 0; i < 500000; ++i) {
            counter.next(static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL, i * 1'000'000);
        }
        CHECK(counter.size() < 200000);
    }

    TEST_CASE("record ids: lines within the window keep their count across evictions") {
        // 200,000 lines a second apart, each repeated 30 s later (out of order,
        // within the 60 s window): the table is rebuilt many times meanwhile.
        ingest::OccurrenceCounter counter(60LL * 1'000'000);
        const auto hash = [](std::int64_t i) {
            return static_cast<std::uint64_t>(i + 1) * 0x9E3779B97F4A7C15ULL;
        };
        bool all_right = true;
        for (std::int64_t i = 0; i < 200000 && all_right; ++i) {
            all_right = counter.next(hash(i), i * 1'000'000) == 0;
            if (i >= 30) {
                all_right = all_right && counter.next(hash(i - 30), (i - 30) * 1'000'000) == 1;
            }
        }
        CHECK(all_right);
        CHECK(counter.size() < 70000);
    }

    TEST_CASE("record ids: without a source, the ids of version 0.1") {
        // Computed by version 0.1: rows it stored must be recognised when
        // their input is read again, so these values never change.
        ingest::OccurrenceCounter counter;
        CHECK(ids_of(health, 1, counter) == std::vector<std::string>{"b02cd79882db63a8"});
        CHECK(ids_of(health, 1, counter) == std::vector<std::string>{"b02cd79882db63a8-1"});
        CHECK(ids_of("one OTLP line, two records", 2, counter) ==
              std::vector<std::string>{"82ef29cdc767c389", "f979565ef21ca1c2"});
        const std::string with_id = "{\"span_id\":\"45873ade9fe6c6ea\"}";
        parse::ParsedBatch batch;
        batch.add().record.id = "45873ade9fe6c6ea"; // given by the source: kept
        ingest::assign_ids(batch, with_id, counter);
        CHECK(batch[0].record.id == "45873ade9fe6c6ea");
    }

    TEST_CASE("record ids: the --extra fields tell sources apart") {
        using Fields = std::vector<std::pair<std::string, std::string>>;
        const auto node_a = ingest::source_hash({{"server_address", "node-a"}});
        const auto node_b = ingest::source_hash({{"server_address", "node-b"}});
        CHECK(ingest::source_hash({}) == 0);
        CHECK(node_a != 0);
        CHECK(node_a != node_b);
        CHECK(ingest::source_hash({{"server_address", ""}}) != 0);
        // As applied: in any order, a key given twice with its last value.
        CHECK(ingest::source_hash(Fields{{"server_address", "node-a"}, {"app_path", "/"}}) ==
              ingest::source_hash(Fields{{"app_path", "/"}, {"server_address", "node-a"}}));
        CHECK(ingest::source_hash(Fields{{"server_address", "x"}, {"server_address", "node-a"}}) ==
              node_a);
        CHECK(ingest::source_hash({{"ab", "c"}}) != ingest::source_hash({{"a", "bc"}}));

        // The same line from two servers: two ids, each numbered on its own,
        // and the same ones on every re-read (values pinned: stored rows
        // carry them).
        ingest::OccurrenceCounter counter;
        const auto a = ids_of(health, 1, counter, node_a);
        const auto b = ids_of(health, 1, counter, node_b);
        CHECK(a.at(0) == "642973016a90d375");
        CHECK(b.at(0) == "3c3655e09734fa86");
        CHECK(ids_of(health, 1, counter, node_a).at(0) == "642973016a90d375-1");
        ingest::OccurrenceCounter again;
        CHECK(ids_of(health, 1, again, node_b) == b);
        CHECK(ids_of(health, 1, again) == std::vector<std::string>{"b02cd79882db63a8"});
        const auto two = ids_of("one OTLP line, two records", 2, again, node_a);
        CHECK(two[0] != two[1]);
        CHECK(two[0] != "82ef29cdc767c389");

        // An id given by the source (a span id) is the source's, fields or not.
        parse::ParsedBatch batch;
        batch.add().record.id = "45873ade9fe6c6ea";
        ingest::assign_ids(batch, "{}", again, node_a);
        CHECK(batch[0].record.id == "45873ade9fe6c6ea");
    }
}
