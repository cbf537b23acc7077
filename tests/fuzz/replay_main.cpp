// A main() for the fuzz targets in ordinary builds (no libFuzzer): feeds
// every file of the seed corpus, then deterministic mutations of them
// (byte flips, truncations, splices, insertions of odd bytes), so every
// build exercises the harnesses. libFuzzer builds (tests/fuzz/run.sh) go
// further.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::string> read_corpus(const std::string& dir) {
    std::vector<std::string> files;
    if (DIR* d = opendir(dir.c_str())) {
        while (dirent* entry = readdir(d)) {
            if (entry->d_name[0] == '.') {
                continue;
            }
            std::FILE* f = std::fopen((dir + "/" + entry->d_name).c_str(), "rb");
            if (f == nullptr) {
                continue;
            }
            std::string content;
            char buffer[65536];
            std::size_t n = 0;
            while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
                content.append(buffer, n);
            }
            std::fclose(f);
            files.push_back(std::move(content));
        }
        closedir(d);
    }
    return files;
}

void run(const std::string& input) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR [ITERATIONS]\n", argv[0]);
        return 2;
    }
    const auto corpus = read_corpus(argv[1]);
    const long iterations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20000;
    if (corpus.empty()) {
        std::fprintf(stderr, "empty corpus %s\n", argv[1]);
        return 2;
    }
    for (const auto& input : corpus) {
        run(input);
    }
    std::mt19937_64 random(20261123);
    static const char odd[] = {'\0', '"',  '\\',   '[',    ']',    '{', '}', ':', ',', '|', '%',
                               '\n', '\r', '\xff', '\xc3', '\xe2', '?', '&', '=', '/', ' '};
    for (long i = 0; i < iterations; ++i) {
        std::string input = corpus[random() % corpus.size()];
        const int edits = 1 + static_cast<int>(random() % 8);
        for (int e = 0; e < edits && !input.empty(); ++e) {
            const std::size_t at = random() % input.size();
            switch (random() % 5) {
            case 0:
                input[at] = static_cast<char>(random() & 0xFF);
                break;
            case 1:
                input.resize(at);
                break;
            case 2:
                input.insert(at, 1, odd[random() % sizeof odd]);
                break;
            case 3: {
                const std::string& other = corpus[random() % corpus.size()];
                const std::size_t from = other.empty() ? 0 : random() % other.size();
                input.insert(at, other.substr(from, random() % 200));
                break;
            }
            default:
                input.erase(at, random() % 16);
                break;
            }
        }
        run(input);
    }
    std::printf("%zu corpus files and %ld mutations ran without a crash\n", corpus.size(),
                iterations);
    return 0;
}
