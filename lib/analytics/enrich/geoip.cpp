#include <analytics/enrich/geoip.hpp>
#include <analytics/util/errors.hpp>
#include <analytics/util/shared_by_path.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace analytics::enrich {

struct CountryDatabase::Handle {
    MMDB_s mmdb{};
};

CountryDatabase::CountryDatabase(const std::string& path) : m_handle(std::make_unique<Handle>()) {
    errno = 0;
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &m_handle->mmdb);
    if (status == MMDB_SUCCESS) {
        return;
    }
    std::string why = MMDB_strerror(status);
    if (status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR) {
        why += errno != 0 ? std::string(": ") + std::strerror(errno) : std::string();
    } else {
        why += " (not a MaxMind DB file: GeoLite2-Country.mmdb or DB-IP's dbip-country-lite.mmdb)";
    }
    throw ConfigError("geoip.database: cannot open " + path + ": " + why);
}

CountryDatabase::~CountryDatabase() {
    MMDB_close(&m_handle->mmdb);
}

namespace {

// An address as proxies write it ("203.0.113.5", "203.0.113.5:443",
// "[2001:db8::1]:443", "2001:db8::1") into a socket address; false when it
// is none.
bool parse_address(std::string_view text, sockaddr_storage& out) {
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        text = close == std::string_view::npos ? std::string_view{} : text.substr(1, close - 1);
    } else if (const auto colon = text.find(':');
               colon != std::string_view::npos &&
               text.find(':', colon + 1) == std::string_view::npos) {
        text = text.substr(0, colon); // IPv4 with a port
    }
    char buffer[INET6_ADDRSTRLEN];
    if (text.empty() || text.size() >= sizeof buffer) {
        return false;
    }
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    std::memset(&out, 0, sizeof out);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    if (inet_pton(AF_INET, buffer, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (inet_pton(AF_INET6, buffer, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

bool is_country_code(const char* text, std::uint32_t size) {
    return size == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z';
}

} // namespace

std::string_view CountryDatabase::country_of(std::string_view address) const {
    sockaddr_storage socket_address;
    if (!parse_address(address, socket_address)) {
        return {};
    }
    int error = MMDB_SUCCESS;
    // The handle is only read: lookups on one MMDB_s are thread-safe.
    auto* mmdb = const_cast<MMDB_s*>(&m_handle->mmdb);
    MMDB_lookup_result_s result =
        MMDB_lookup_sockaddr(mmdb, reinterpret_cast<const sockaddr*>(&socket_address), &error);
    if (error != MMDB_SUCCESS || !result.found_entry) {
        return {}; // an IPv6 address in an IPv4-only database, a private network
    }
    MMDB_entry_data_s data;
    if (MMDB_get_value(&result.entry, &data, "country", "iso_code", nullptr) != MMDB_SUCCESS ||
        !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING ||
        !is_country_code(data.utf8_string, data.data_size)) {
        return {};
    }
    return {data.utf8_string, 2};
}

void CountryDatabase::assign(record::AccessRecord& record) const {
    if (record.client_ip.is_null()) {
        return;
    }
    record.country_code.set_or_null(country_of(record.client_ip.view()));
}

std::string CountryDatabase::description() const {
    const auto& metadata = m_handle->mmdb.metadata;
    std::string text = metadata.database_type != nullptr ? metadata.database_type : "unnamed";
    const std::time_t built = static_cast<std::time_t>(metadata.build_epoch);
    std::tm day{};
    char date[16];
    if (gmtime_r(&built, &day) != nullptr && std::strftime(date, sizeof date, "%Y-%m-%d", &day)) {
        text += ", built ";
        text += date;
    }
    return text;
}

std::shared_ptr<const CountryDatabase> country_database(const config::Config& config) {
    const std::string& path = config.geoip.database;
    if (path.empty()) {
        return nullptr;
    }
    return shared_by_path<CountryDatabase>(path); // one mapping for all workers
}

} // namespace analytics::enrich
