// ApiKeys: who may call /v1. Digests below come from `printf KEY | sha256sum`, not from this code.
#include "bridge/http/api_keys.h"

#include <boost/test/unit_test.hpp>
#include <string>

using wxb::ApiKeys;

namespace {

const std::string kKey = "s3cret-key-1";
const std::string kKeyDigest = "471ab1409a49f9f41dc83fe9480422b9df19e8ef3d096b8f034deae1d01b45be";
const std::string kOtherKey = "other-key-2";
const std::string kOtherDigest = "c33bb0b981b0e3a41525d9384d3d1f34c642b59ddb381ab35143ea0cd945c941";
const std::string kEmptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

ApiKeys parsed(const std::string& list) {
  auto result = ApiKeys::parse(list);
  BOOST_REQUIRE_MESSAGE(result, "parse failed: " << (result ? "" : result.error()));
  return *result;
}

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(api_keys)

BOOST_AUTO_TEST_CASE(sha256_hex_matches_the_fips_180_vector) {
  BOOST_TEST(ApiKeys::sha256Hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(ApiKeys::sha256Hex(kKey) == kKeyDigest);
  BOOST_TEST(ApiKeys::sha256Hex("") == kEmptyDigest);
}

BOOST_AUTO_TEST_CASE(a_listed_key_passes_and_others_fail) {
  ApiKeys keys = parsed(kKeyDigest);
  BOOST_TEST(keys.size() == 1u);
  BOOST_TEST(keys.check(kKey));
  BOOST_TEST(!keys.check(kOtherKey));
  BOOST_TEST(!keys.check(kKeyDigest));  // the digest itself is not a key
  BOOST_TEST(!keys.check(kKey + " "));
}

BOOST_AUTO_TEST_CASE(every_listed_key_passes) {
  ApiKeys keys = parsed(kKeyDigest + ", " + kOtherDigest);
  BOOST_TEST(keys.size() == 2u);
  BOOST_TEST(keys.check(kKey));
  BOOST_TEST(keys.check(kOtherKey));
  BOOST_TEST(!keys.check("third"));
}

BOOST_AUTO_TEST_CASE(uppercase_digests_are_accepted) {
  ApiKeys keys = parsed(upper(kKeyDigest));
  BOOST_TEST(keys.check(kKey));
  BOOST_TEST(!keys.check(kOtherKey));
}

BOOST_AUTO_TEST_CASE(an_empty_key_never_passes_even_if_its_digest_is_listed) {
  ApiKeys keys = parsed(kEmptyDigest);
  BOOST_TEST(!keys.check(""));
  BOOST_TEST(!keys.checkAuthorization("Bearer "));
  BOOST_TEST(!keys.checkAuthorization("Bearer"));
}

BOOST_AUTO_TEST_CASE(empty_list_parses_and_accepts_nobody) {
  ApiKeys keys = parsed(" , ");
  BOOST_TEST(keys.size() == 0u);
  BOOST_TEST(!keys.check(kKey));
}

BOOST_AUTO_TEST_CASE(list_is_separated_by_commas_and_whitespace) {
  ApiKeys keys = parsed("\n" + kKeyDigest + " ,\t" + kOtherDigest + ",");
  BOOST_TEST(keys.size() == 2u);
  BOOST_TEST(keys.check(kOtherKey));
}

BOOST_AUTO_TEST_CASE(bad_entries_are_named_by_position_never_by_value) {
  const std::string pastedKey = "my-plain-secret-key";
  struct Case {
    std::string list;
    std::string position;
    std::string value;
  };
  const Case cases[] = {
      {kKeyDigest + "," + pastedKey, "entry 2", pastedKey},
      {kKeyDigest.substr(1), "entry 1", kKeyDigest.substr(1)},               // 63 digits
      {kOtherDigest + " " + kKeyDigest + "0", "entry 2", kKeyDigest + "0"},  // 65 digits
      {"g" + kKeyDigest.substr(1), "entry 1", "g" + kKeyDigest.substr(1)},   // not hex
      {kKeyDigest + ",, ,zz", "entry 2", "zz"},  // empty pieces are not entries
  };
  for (const Case& c : cases) {
    auto result = ApiKeys::parse(c.list);
    BOOST_REQUIRE(!result);
    BOOST_TEST(result.error().find(c.position) != std::string::npos, result.error());
    BOOST_TEST(result.error().find(c.value) == std::string::npos, result.error());
  }
}

BOOST_AUTO_TEST_CASE(bearer_header_with_the_right_key_passes) {
  ApiKeys keys = parsed(kKeyDigest);
  BOOST_TEST(keys.checkAuthorization("Bearer " + kKey));
  BOOST_TEST(keys.checkAuthorization("bearer " + kKey));
  BOOST_TEST(keys.checkAuthorization("BEARER " + kKey));
  BOOST_TEST(keys.checkAuthorization("Bearer    " + kKey));
  BOOST_TEST(keys.checkAuthorization("  Bearer " + kKey + " \t"));
}

BOOST_AUTO_TEST_CASE(other_header_forms_fail) {
  ApiKeys keys = parsed(kKeyDigest);
  for (const std::string& header : {
           std::string(),
           std::string("Bearer"),
           "Bearer " + kOtherKey,
           kKey,             // no scheme
           "Basic " + kKey,  // other scheme
           "Token " + kKey,
           "Bearer" + kKey,    // no space
           "Bearer\t" + kKey,  // separator must be a space
           "Bearerx " + kKey,
           "Bearer " + kKey + " extra",  // trailing junk
           "Bearer " + kKey + "\textra",
           "Bearer Bearer " + kKey,
       }) {
    BOOST_TEST(!keys.checkAuthorization(header), "accepted: '" << header << "'");
  }
}

BOOST_AUTO_TEST_SUITE_END()
