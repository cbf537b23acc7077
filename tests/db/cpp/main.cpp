// The database tests' runner: doctest's, then the shared cluster is removed.

#define DOCTEST_CONFIG_IMPLEMENT
#include "tempdb.hpp"

#include <doctest/doctest.h>

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int status = context.run();
    tempdb::remove_cluster();
    return status;
}
