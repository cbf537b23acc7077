#include <analytics/util/conninfo_mask.hpp>
#include <analytics/util/pushgateway.hpp>

#include <curl/curl.h>
#include <memory>
#include <stdexcept>

namespace analytics {

namespace {

// Path segments: unreserved characters kept, everything else %XX.
std::string encode_segment(const std::string& text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

// The start of the gateway's reply, for the error message.
std::size_t keep_reply(char* data, std::size_t size, std::size_t count, void* user) {
    auto* reply = static_cast<std::string*>(user);
    const std::size_t bytes = size * count;
    if (reply->size() < 200) {
        reply->append(data, std::min(bytes, 200 - reply->size()));
    }
    return bytes;
}

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};

struct HeadersDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

} // namespace

std::string pushgateway_group_url(const PushgatewayTarget& target) {
    std::string base = target.url;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + "/metrics/job/" + encode_segment(target.job) + "/instance/" +
           encode_segment(target.instance);
}

void push_metrics(const PushgatewayTarget& target, const std::string& body, bool replace) {
    static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::string url = pushgateway_group_url(target);
    const std::string shown = mask_url_password(url);
    std::unique_ptr<CURL, CurlDeleter> curl{initialised == CURLE_OK ? curl_easy_init() : nullptr};
    if (!curl) {
        throw std::runtime_error("cannot push metrics to " + shown + ": libcurl did not start");
    }
    std::unique_ptr<curl_slist, HeadersDeleter> headers{
        curl_slist_append(nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8")};
    std::string reply;
    char error[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, replace ? "PUT" : "POST");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(target.timeout_seconds));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // timeouts without SIGALRM
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_reply);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode result = curl_easy_perform(c);
    if (result != CURLE_OK) {
        // libcurl's messages name the host, never the URL's user information.
        const std::string reason = error[0] != '\0' ? error : curl_easy_strerror(result);
        throw std::runtime_error("cannot push metrics to " + shown + ": " + reason);
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
        while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r')) {
            reply.pop_back();
        }
        throw std::runtime_error("cannot push metrics to " + shown + ": HTTP status " +
                                 std::to_string(status) + (reply.empty() ? "" : ": " + reply));
    }
}

} // namespace analytics
