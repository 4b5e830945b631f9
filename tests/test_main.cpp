// The CAF unit-test runner; suites live in the other files of each binary.
#include <caf/test/unit_test_impl.hpp>
