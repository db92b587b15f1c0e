// SelfSignedCert: a throwaway self-signed certificate and key for 127.0.0.1, made with the
// openssl tool in a fresh temp folder that the destructor removes. For tests of the client's
// TLS handling against a local https server (CannedHttpServer). The constructor throws
// std::runtime_error if the folder or the certificate cannot be made.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace wxb::test {

class SelfSignedCert {
 public:
  SelfSignedCert();
  ~SelfSignedCert();
  SelfSignedCert(const SelfSignedCert&) = delete;
  SelfSignedCert& operator=(const SelfSignedCert&) = delete;

  std::string key() const { return dir_ + "/key.pem"; }
  // The certificate in PEM, also usable as a client's CA file.
  std::string cert() const { return dir_ + "/cert.pem"; }
  // A server context presenting this certificate, not asking for a client certificate.
  Poco::Net::Context::Ptr serverContext() const;

 private:
  std::string dir_;
};

}  // namespace wxb::test
