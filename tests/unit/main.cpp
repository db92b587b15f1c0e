// The Boost.Test entry point of unit_tests; every other file in tests/unit/ adds test cases.
#define BOOST_TEST_MODULE wxbridge_unit
#include <boost/test/unit_test.hpp>
