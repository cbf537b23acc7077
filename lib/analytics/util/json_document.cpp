#include <analytics/util/json_document.hpp>

#include <cstdio>

namespace analytics {

nlohmann::ordered_json text_or_null(const std::string& text) {
    return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

namespace {

constexpr auto replace = nlohmann::ordered_json::error_handler_t::replace;

struct Writer {
    int decimals;
    const std::map<std::string, int>& decimals_by_key;
    std::string& out;

    void write(const nlohmann::ordered_json& value, int float_decimals) {
        if (value.is_object()) {
            out += '{';
            bool first = true;
            for (const auto& [key, member] : value.items()) {
                out += first ? "" : ",";
                first = false;
                out += nlohmann::ordered_json(key).dump(-1, ' ', false, replace);
                out += ':';
                const auto it = decimals_by_key.find(key);
                write(member, it == decimals_by_key.end() ? decimals : it->second);
            }
            out += '}';
        } else if (value.is_array()) {
            out += '[';
            for (std::size_t i = 0; i < value.size(); ++i) {
                out += i == 0 ? "" : ",";
                write(value[i], float_decimals);
            }
            out += ']';
        } else if (value.is_number_float()) {
            char buffer[64];
            std::snprintf(buffer, sizeof buffer, "%.*f", float_decimals, value.get<double>());
            out += buffer;
        } else {
            out += value.dump(-1, ' ', false, replace);
        }
    }
};

} // namespace

std::string dump_json(const nlohmann::ordered_json& document, int decimals,
                      const std::map<std::string, int>& decimals_by_key) {
    std::string out;
    Writer{decimals, decimals_by_key, out}.write(document, decimals);
    return out;
}

} // namespace analytics
