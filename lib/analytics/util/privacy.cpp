#include <analytics/util/privacy.hpp>

#include <algorithm>
#include <iterator>

namespace analytics {

namespace {

// Lower-case, '-' as '_': the form secret_names are written in.
char folded(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c == '-' ? '_' : c;
}

} // namespace

bool is_secret_name(std::string_view key) noexcept {
    // Most keys are not secrets: the first letter rules them out quickly.
    if (key.size() < 3 ||
        std::string_view("acopst").find(folded(key[0])) == std::string_view::npos) {
        return false;
    }
    return std::any_of(std::begin(secret_names), std::end(secret_names),
                       [key](std::string_view secret) {
                           return key.size() == secret.size() &&
                                  std::equal(key.begin(), key.end(), secret.begin(),
                                             [](char a, char b) { return folded(a) == b; });
                       });
}

bool may_name_a_secret(std::string_view lower_text) noexcept {
    return std::any_of(std::begin(secret_fragments), std::end(secret_fragments),
                       [lower_text](auto fragment) {
                           return lower_text.find(fragment) != std::string_view::npos;
                       });
}

} // namespace analytics
