// The fake's HTTP server: a Poco HTTPServer on 127.0.0.1 with keep-alive and a thread pool,
// whose single handler adapts Poco's request/response to a Call/Reply and asks the Router.
//
// main() constructs it (binding the port, so port() is known at once), calls start(), and
// stop() on SIGTERM/SIGINT. Each open connection holds one worker thread (Poco's model), so
// --threads bounds the concurrent connections served; more wait in a queue of 1000.
// Thread-safety: start()/stop() from one thread; requests are served concurrently.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <memory>

#include "fake_wechat/platform.h"
#include "fake_wechat/router.h"

namespace wxb::fake {

class FakeServer {
 public:
  // Binds 127.0.0.1:`options.port` (0 picks a free port). Throws Poco::Exception on failure.
  FakeServer(Platform& platform, const Options& options);
  ~FakeServer();

  uint16_t port() const { return socket_.address().port(); }
  void start();
  // Stops accepting, aborts open connections and waits for the workers.
  void stop();

 private:
  Platform& platform_;
  Router router_;
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  bool running_ = false;
};

}  // namespace wxb::fake
