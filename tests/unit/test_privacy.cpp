#include <analytics/util/privacy.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace analytics;

TEST_SUITE("privacy") {
    TEST_CASE("every listed name is a secret, and passes the pre-check") {
        for (const std::string_view name : secret_names) {
            CAPTURE(name);
            CHECK(is_secret_name(name));
            CHECK(may_name_a_secret(name));
        }
    }

    TEST_CASE("case and '-' / '_' do not matter") {
        CHECK(is_secret_name("API-Key"));
        CHECK(is_secret_name("Access-Token"));
        CHECK(is_secret_name("OUTPUT_PATH"));
        CHECK(is_secret_name("pwd"));
        CHECK(is_secret_name("Cookie")); // a session, as Authorization is a credential
    }

    TEST_CASE("other names are not secrets") {
        CHECK_FALSE(is_secret_name(""));
        CHECK_FALSE(is_secret_name("api_key_id")); // an id, not the key
        CHECK_FALSE(is_secret_name("q"));
        CHECK_FALSE(is_secret_name("service"));
        CHECK_FALSE(is_secret_name("tokens"));
        CHECK_FALSE(may_name_a_secret("service=wms&request=getmap&layers=roads"));
    }

    TEST_CASE("the pre-check finds a fragment anywhere, and nothing past the end") {
        CHECK(may_name_a_secret("key=1"));
        CHECK(may_name_a_secret("a=1&b=2&mypwd"));
        CHECK(may_name_a_secret("x=%2fsig"));
        CHECK_FALSE(may_name_a_secret("a=1&ke"));
        CHECK_FALSE(may_name_a_secret("s"));
        CHECK_FALSE(may_name_a_secret(""));
        CHECK_FALSE(may_name_a_secret("pas=1&tok=2&sessio=3&outpu=4&secre=5&aut=6&si"));
    }

    TEST_CASE("the pre-check passes text that names a secret only once decoded") {
        // Raw query strings: what is_secret_name ignores or a decoder turns
        // into a letter may split every fragment.
        CHECK(may_name_a_secret("ap%69_k%65y=x"));   // api_key
        CHECK(may_name_a_secret("a=1&pa+ssword=x")); // "pa ssword"
        CHECK(may_name_a_secret("to ken=x"));        // a blank is ignored
        CHECK(may_name_a_secret(std::string("to\x7fken=x")));
        CHECK(may_name_a_secret(std::string("to\x01ken=x")));
        CHECK_FALSE(may_name_a_secret("service=wms&layers=roads&width=256"));
    }

    TEST_CASE("the pre-check finds every fragment at every offset, in blocks and in the tail") {
        // Texts are scanned sixteen starts at a time, then byte by byte.
        for (const std::string_view fragment : secret_fragments) {
            for (std::size_t size = fragment.size(); size <= 40; ++size) {
                for (std::size_t at = 0; at + fragment.size() <= size; ++at) {
                    std::string text(size, 'x');
                    text.replace(at, fragment.size(), fragment);
                    CAPTURE(text);
                    REQUIRE(may_name_a_secret(text));
                    text[at + fragment.size() - 1] = 'x'; // cut short: not this fragment
                    if (text.find("key") == std::string::npos) {
                        CHECK_FALSE(may_name_a_secret(text));
                    }
                }
            }
        }
        CHECK_FALSE(may_name_a_secret(std::string(100, 's') + "e"));
    }
}

TEST_SUITE("privacy") {
    TEST_CASE("control characters and blanks do not hide a name") {
        CHECK(is_secret_name(std::string("api_key\0", 8)));
        CHECK(is_secret_name(" token"));
        CHECK(is_secret_name("X-Api-Key"));
        CHECK(is_secret_name("signature"));
        CHECK(is_secret_name("\ta p\x01i_\x7fk e y "));
        CHECK(is_secret_name(std::string("s\0ig", 4)));
        CHECK(is_secret_name("API_KEY \t")); // the last visible character decides the shape
        CHECK(is_secret_name("\x01 SiG\x7f"));
        CHECK_FALSE(is_secret_name("Service \t"));
        CHECK_FALSE(is_secret_name(std::string(100, 'a')));
    }

    TEST_CASE("a key is a secret exactly when its visible, folded form is a listed name") {
        // Every listed name with a character changed, added or removed, at
        // every position, with and without blanks inside: the shape filter
        // before the comparison must never turn a secret away.
        const auto reference = [](std::string_view key) {
            std::string form;
            for (const char c : key) {
                const auto byte = static_cast<unsigned char>(c);
                if (byte > 0x20 && byte != 0x7f) {
                    form.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                   : c == '-'           ? '_'
                                                        : c);
                }
            }
            for (const std::string_view name : secret_names) {
                if (form == name) {
                    return true;
                }
            }
            return false;
        };
        for (const std::string_view name : secret_names) {
            for (std::size_t at = 0; at <= name.size(); ++at) {
                for (const char c : {'a', 'e', 'n', 't', 'y', '_', '-', ' ', 'Z'}) {
                    std::string changed(name);
                    std::string added(name);
                    std::string removed(name);
                    if (at < name.size()) {
                        changed[at] = c;
                        removed.erase(at, 1);
                    }
                    added.insert(at, 1, c);
                    for (const std::string& key : {changed, added, removed}) {
                        CAPTURE(key);
                        REQUIRE(is_secret_name(key) == reference(key));
                    }
                }
            }
        }
    }

    TEST_CASE("configured names join the list until replaced") {
        CHECK_FALSE(is_secret_name("geo_pass"));
        set_configured_secret_names({"Geo-Pass"});
        CHECK(is_secret_name("geo_pass"));
        CHECK(is_secret_name("GEO-PASS"));
        CHECK(may_name_a_secret("x=1&geo-pass=2"));
        set_configured_secret_names({});
        CHECK_FALSE(is_secret_name("geo_pass"));
    }
}
