// WechatClient::Call: one platform request as the api_*.cpp files describe it to the shared
// call machinery in wechat_client.cpp (token, retries, errcode rules, metrics). Internal to
// wechat/; a plain value, built per call.
#pragma once

#include <string>
#include <utility>

#include "wechat/http_transport.h"
#include "wechat/wechat_client.h"

namespace wxb {

struct WechatClient::Call {
  static Call get(std::string api, App app) { return Call(std::move(api), app, false, {}); }
  static Call post(std::string api, App app, std::string jsonBody) {
    return Call(std::move(api), app, true, std::move(jsonBody));
  }

  std::string api;  // the request path; also WechatError::api and the metrics label
  App app = App::Oa;
  bool isPost = false;
  QueryParams query;  // without access_token: the machinery adds it
  std::string body;   // JSON text for POST
  // False for a send the platform does not deduplicate: after a transport failure that
  // happened once the request was written, it may have been delivered, so it is not resent.
  bool idempotent = true;

 private:
  Call(std::string path, App forApp, bool usePost, std::string jsonBody)
      : api(std::move(path)), app(forApp), isPost(usePost), body(std::move(jsonBody)) {}
};

}  // namespace wxb
