#pragma once

// A small, fast, seedable generator whose output is the same on every
// platform (std::mt19937 is too, but the std distributions are not), so a
// seed gives byte-identical logs everywhere.

#include <cmath>
#include <cstdint>
#include <vector>

namespace analytics::generate {

class Random {
  public:
    explicit Random(std::uint64_t seed) noexcept {
        // xoshiro256** seeded through splitmix64, as its authors recommend.
        for (auto& word : m_state) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }

    // Uniform integer in [low, high].
    std::int64_t between(std::int64_t low, std::int64_t high) noexcept {
        return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low + 1)));
    }

    bool chance(double p) noexcept { return uniform() < p; }

    // Standard normal (Box-Muller; one value per call keeps the stream simple).
    double normal() noexcept {
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // Log-normal with the given median and spread (sigma of the log).
    double lognormal(double median, double sigma) noexcept {
        return median * std::exp(sigma * normal());
    }

    // Poisson-distributed count with the given mean.
    std::uint64_t poisson(double mean) noexcept {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 40) { // normal approximation: exact enough, O(1)
            const double x = std::round(mean + std::sqrt(mean) * normal());
            return x < 0 ? 0 : static_cast<std::uint64_t>(x);
        }
        const double limit = std::exp(-mean);
        std::uint64_t k = 0;
        double p = uniform();
        while (p > limit) {
            ++k;
            p *= uniform();
        }
        return k;
    }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << k) | (x >> (64 - k));
    }

    std::uint64_t m_state[4] = {};
};

// Picks an index with probability proportional to its weight.
class WeightedChoice {
  public:
    WeightedChoice() = default;

    explicit WeightedChoice(const std::vector<double>& weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
            m_cumulative.push_back(total);
        }
    }

    std::size_t pick(Random& random) const noexcept {
        const double x = random.uniform() * m_cumulative.back();
        std::size_t low = 0;
        std::size_t high = m_cumulative.size() - 1;
        while (low < high) {
            const std::size_t mid = (low + high) / 2;
            if (m_cumulative[mid] <= x) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

  private:
    std::vector<double> m_cumulative;
};

} // namespace analytics::generate
