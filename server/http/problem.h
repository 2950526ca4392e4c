// Internal: reason phrases, and problem+json answers for any status code.
#pragma once

#include <string_view>
#include <vector>

#include "http/server.h"

namespace onex::http::detail {

constexpr std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

// An application/problem+json answer with this HTTP status (also ones no StatusKind has: 405,
// 413, 415, 431, 500). Members of `extra` are added unless they would replace a standard one.
Response problem_response(int status, std::string_view code, std::string_view detail,
                          const std::vector<FieldError>& errors = {},
                          const nlohmann::json& extra = nlohmann::json::object());

}  // namespace onex::http::detail
