// The OTel reader's JSON cost with simdjson's DOM parser (what otel.cpp uses)
// against its On-Demand API, one JSON document per input line. Built and run
// by bench/json_ondemand.sh, which counts each mode's instructions:
//   read      the lines only (the floor)
//   dom       DOM parse, then a walk over every value (as otel.cpp reads)
//   ondemand  On-Demand walk over every value: what rejecting the same lines
//             as the DOM parser takes, as On-Demand validates only what it
//             visits
//   raw       the same walk, strings as raw tokens (no unescaping)
//   selective On-Demand reading only the members otel.cpp uses and skipping
//             the rest unvalidated
// It prints the lines it rejected: the selective mode accepts malformed
// values in the members it skips.
//   json_ondemand MODE FILE

#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace simdjson;

std::size_t g_sink = 0; // keeps the compiler from dropping the reads
bool g_raw = false;

error_code walk(ondemand::value value) {
    ondemand::json_type type;
    SIMDJSON_TRY(value.type().get(type));
    switch (type) {
    case ondemand::json_type::object: {
        ondemand::object object;
        SIMDJSON_TRY(value.get_object().get(object));
        for (auto field : object) {
            if (g_raw) {
                ondemand::raw_json_string key;
                SIMDJSON_TRY(field.key().get(key));
                g_sink += static_cast<unsigned char>(key.raw()[0]);
            } else {
                std::string_view key;
                SIMDJSON_TRY(field.unescaped_key().get(key));
                g_sink += key.size();
            }
            ondemand::value inner;
            SIMDJSON_TRY(field.value().get(inner));
            SIMDJSON_TRY(walk(inner));
        }
        return SUCCESS;
    }
    case ondemand::json_type::array: {
        ondemand::array array;
        SIMDJSON_TRY(value.get_array().get(array));
        for (auto item : array) {
            ondemand::value inner;
            SIMDJSON_TRY(item.get(inner));
            SIMDJSON_TRY(walk(inner));
        }
        return SUCCESS;
    }
    case ondemand::json_type::string: {
        std::string_view text;
        if (g_raw) {
            text = value.raw_json_token();
        } else {
            SIMDJSON_TRY(value.get_string().get(text));
        }
        g_sink += text.size();
        return SUCCESS;
    }
    case ondemand::json_type::number: {
        ondemand::number number;
        SIMDJSON_TRY(value.get_number().get(number));
        g_sink += 1;
        return SUCCESS;
    }
    case ondemand::json_type::boolean: {
        bool b = false;
        SIMDJSON_TRY(value.get_bool().get(b));
        g_sink += b;
        return SUCCESS;
    }
    case ondemand::json_type::null:
        return value.is_null() ? SUCCESS : INCORRECT_TYPE;
    }
    return SUCCESS;
}

// The members otel.cpp reads; the others are skipped.
error_code selective(ondemand::value root) {
    ondemand::object object;
    SIMDJSON_TRY(root.get_object().get(object));
    for (auto field : object) {
        std::string_view key;
        SIMDJSON_TRY(field.unescaped_key().get(key));
        ondemand::value inner;
        SIMDJSON_TRY(field.value().get(inner));
        if (key == "attributes" || key == "scope" || key == "timestamp" ||
            key == "observed_timestamp" || key == "span_id" || key == "trace_id" ||
            key == "message" || key == "source_type") {
            SIMDJSON_TRY(walk(inner));
        }
    }
    return SUCCESS;
}

void walk(dom::element element) {
    switch (element.type()) {
    case dom::element_type::OBJECT:
        for (auto [key, value] : dom::object(element)) {
            g_sink += key.size();
            walk(value);
        }
        break;
    case dom::element_type::ARRAY:
        for (dom::element item : dom::array(element)) {
            walk(item);
        }
        break;
    case dom::element_type::STRING:
        g_sink += std::string_view(element).size();
        break;
    default:
        g_sink += 1;
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: json_ondemand read|dom|ondemand|raw|selective FILE\n");
        return 2;
    }
    const std::string mode = argv[1];
    g_raw = mode == "raw";
    std::ifstream in(argv[2]);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    dom::parser dom_parser;
    ondemand::parser ondemand_parser;
    std::string buffer;
    std::size_t rejected = 0;
    for (const std::string& line : lines) {
        buffer.assign(line);
        buffer.resize(line.size() + SIMDJSON_PADDING);
        if (mode == "read") {
            g_sink += buffer.size();
        } else if (mode == "dom") {
            dom::element root;
            if (dom_parser.parse(buffer.data(), line.size(), false).get(root) != SUCCESS) {
                ++rejected;
                continue;
            }
            walk(root);
        } else {
            ondemand::document document;
            ondemand::value root;
            if (ondemand_parser.iterate(buffer.data(), line.size(), buffer.size()).get(document) !=
                    SUCCESS ||
                document.get_value().get(root) != SUCCESS ||
                (mode == "selective" ? selective(root) : walk(root)) != SUCCESS) {
                ++rejected;
            }
        }
    }
    std::printf("%s: %zu lines, %zu rejected (%zu)\n", mode.c_str(), lines.size(), rejected,
                g_sink % 10);
    return 0;
}
