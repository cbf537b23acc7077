#include <analytics/util/hash.hpp>

#include <cstring>

namespace analytics {

std::uint64_t hash64(std::string_view data, std::uint64_t seed) noexcept {
    constexpr std::uint64_t m = 0xc6a4a7935bd1e995ULL;
    constexpr int r = 47;
    std::uint64_t h = seed ^ (data.size() * m);
    const char* p = data.data();
    const char* end = p + (data.size() / 8) * 8;
    for (; p != end; p += 8) {
        std::uint64_t k;
        std::memcpy(&k, p, 8);
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
    }
    const auto* tail = reinterpret_cast<const unsigned char*>(p);
    switch (data.size() & 7) {
    case 7:
        h ^= std::uint64_t{tail[6]} << 48;
        [[fallthrough]];
    case 6:
        h ^= std::uint64_t{tail[5]} << 40;
        [[fallthrough]];
    case 5:
        h ^= std::uint64_t{tail[4]} << 32;
        [[fallthrough]];
    case 4:
        h ^= std::uint64_t{tail[3]} << 24;
        [[fallthrough]];
    case 3:
        h ^= std::uint64_t{tail[2]} << 16;
        [[fallthrough]];
    case 2:
        h ^= std::uint64_t{tail[1]} << 8;
        [[fallthrough]];
    case 1:
        h ^= std::uint64_t{tail[0]};
        h *= m;
        break;
    default:
        break;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

std::uint64_t combine_hash(std::uint64_t chain, std::uint64_t next) noexcept {
    // MurmurHash3's 64-bit finaliser over the pair: order-sensitive, cheap.
    std::uint64_t h = chain ^ (next + 0x9e3779b97f4a7c15ULL + (chain << 6) + (chain >> 2));
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

} // namespace analytics
