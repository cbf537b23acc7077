#pragma once

// A text column that may be NULL. Clearing keeps the buffer, so a record
// reused line after line allocates only when a field grows.

#include <analytics/util/text.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace analytics::record {

class Nullable {
  public:
    bool is_null() const noexcept { return m_null; }

    bool has_value() const noexcept { return !m_null; }

    const std::string& value() const noexcept { return m_value; }

    std::string& mutable_value() noexcept { return m_value; }

    std::string_view view() const noexcept { return m_null ? std::string_view{} : m_value; }

    void set(std::string_view v) {
        assign_text(m_value, v);
        m_null = false;
    }

    // Empty text becomes NULL: the old tools store "" and NULL alike, and
    // rollups must not tell them apart.
    void set_or_null(std::string_view v) {
        if (v.empty()) {
            reset();
        } else {
            set(v);
        }
    }

    void reset() noexcept {
        m_value.clear();
        m_null = true;
    }

  private:
    std::string m_value;
    bool m_null = true;
};

// An integer column that may be NULL.
template <typename T>
struct NullableNumber {
    T value{};
    bool null = true;

    void set(T v) noexcept {
        value = v;
        null = false;
    }

    void reset() noexcept {
        value = T{};
        null = true;
    }
};

// A text[] column that may be NULL (roles): NULL and an empty array differ.
struct NullableList {
    std::vector<std::string> items;
    bool null = true;

    void reset() noexcept {
        items.clear();
        null = true;
    }
};

} // namespace analytics::record
