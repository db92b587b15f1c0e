// SelfSignedCert: `openssl req -x509` with a P-256 key, valid one day, IP SAN 127.0.0.1.
#include "support/self_signed_cert.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace wxb::test {

SelfSignedCert::SelfSignedCert() {
  char pattern[] = "/tmp/wxb-tls-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key() + " -out " + cert() + " 2>/dev/null";
  if (std::system(command.c_str()) != 0) {
    std::filesystem::remove_all(dir_);
    throw std::runtime_error("openssl req failed");
  }
}

SelfSignedCert::~SelfSignedCert() { std::filesystem::remove_all(dir_); }

Poco::Net::Context::Ptr SelfSignedCert::serverContext() const {
  return new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key(), cert(), "",
                                Poco::Net::Context::VERIFY_NONE);
}

}  // namespace wxb::test
