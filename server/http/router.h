// Internal: the route table compiled for matching, and the decoding of targets. No Beast here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"

namespace onex::http::detail {

// Percent-decodes `text`; with `plus_is_space` (query strings) '+' becomes ' '. nullopt when a
// '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Splits "a=1&b=x%20y" into decoded pairs; nullopt on a bad escape.
std::optional<std::multimap<std::string, std::string>> parse_query(std::string_view query);

struct Segment {
  bool is_param = false;
  std::string text;  // the literal, or the parameter's name
};

struct CompiledRoute {
  Route route;
  std::vector<Segment> segments;
  std::string
      shape;  // the pattern with every {name} as {}: two routes may not share one per method
  bool takes_body = false;  // POST, PUT or PATCH with content types
};

// Splits a pattern into segments; nullopt when it does not start with '/' or a segment is empty
// or holds a malformed {param}.
std::optional<std::vector<Segment>> parse_pattern(std::string_view pattern);

struct Match {
  const CompiledRoute* route = nullptr;  // null: none for this method
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;  // methods some route accepts on this path; empty: unknown path
};

class Router {
 public:
  // Compiles the table; fails with `http.bad_route` naming the first bad line.
  Status add(Route route);
  const std::vector<CompiledRoute>& routes() const { return routes_; }

  // Finds the route for a method and already-split, decoded path segments. Literal segments
  // win over parameters, left to right. HEAD falls back to GET.
  Match match(std::string_view method, const std::vector<std::string>& segments) const;

 private:
  std::vector<CompiledRoute> routes_;
};

// Splits a raw path ("/a/b%2Fc") into decoded segments ({"a", "b/c"}); nullopt on a bad escape.
std::optional<std::vector<std::string>> split_path(std::string_view path);

}  // namespace onex::http::detail
