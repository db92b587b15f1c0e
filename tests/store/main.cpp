#define BOOST_TEST_MODULE wxbridge_store_contract
#include <boost/test/unit_test.hpp>
