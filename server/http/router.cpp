#include "http/router.h"

#include <algorithm>

namespace onex::http::detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_param_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Literal before parameter, segment by segment: is `a` more specific than `b`?
bool more_specific(const CompiledRoute& a, const CompiledRoute& b) {
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::multimap<std::string, std::string>> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> out;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

std::optional<std::vector<Segment>> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/') return std::nullopt;
  std::vector<Segment> segments;
  if (pattern == "/") return segments;
  std::string_view rest = pattern.substr(1);
  for (;;) {
    std::size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (part.empty()) return std::nullopt;
    if (part.front() == '{' || part.back() == '}') {
      if (part.size() < 3 || part.front() != '{' || part.back() != '}') return std::nullopt;
      std::string_view name = part.substr(1, part.size() - 2);
      if (!is_param_name(name)) return std::nullopt;
      segments.push_back({true, std::string(name)});
    } else {
      if (part.find_first_of("{}%?#") != std::string_view::npos) return std::nullopt;
      segments.push_back({false, std::string(part)});
    }
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return segments;
}

std::optional<std::vector<std::string>> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path[0] != '/') return std::nullopt;
  if (path == "/") return segments;
  std::string_view rest = path.substr(1);
  for (;;) {
    std::size_t slash = rest.find('/');
    auto decoded = percent_decode(rest.substr(0, slash), false);
    if (!decoded) return std::nullopt;
    segments.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return segments;
}

Status Router::add(Route route) {
  auto bad = [&](std::string why) {
    return Status::bad_request("http.bad_route", route.method + " " + route.pattern + ": " + why);
  };
  auto segments = parse_pattern(route.pattern);
  if (!segments) return bad("the pattern does not parse");
  if (!route.handler) return bad("no handler");
  static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (std::find(kMethods.begin(), kMethods.end(), route.method) == kMethods.end()) {
    return bad("unsupported method");
  }
  std::vector<std::string> names;
  std::string shape;
  for (const Segment& s : *segments) {
    if (s.is_param) {
      if (std::find(names.begin(), names.end(), s.text) != names.end()) {
        return bad("a parameter name repeats");
      }
      names.push_back(s.text);
    }
    shape += "/" + (s.is_param ? std::string("{}") : s.text);
  }
  if (shape.empty()) shape.push_back('/');
  for (const CompiledRoute& other : routes_) {
    if (other.route.method == route.method && other.shape == shape) {
      return bad("another route has the same method and path shape: " + other.route.pattern);
    }
  }
  bool takes_body = (route.method == "POST" || route.method == "PUT" || route.method == "PATCH") &&
                    !route.content_types.empty();
  routes_.push_back({std::move(route), std::move(*segments), std::move(shape), takes_body});
  return Status::ok();
}

Match Router::match(std::string_view method, const std::vector<std::string>& segments) const {
  Match out;
  const CompiledRoute* best = nullptr;
  const CompiledRoute* best_get = nullptr;
  for (const CompiledRoute& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < segments.size() && fits; ++i) {
      const Segment& s = r.segments[i];
      fits = s.is_param ? !segments[i].empty() : s.text == segments[i];
    }
    if (!fits) continue;
    if (std::find(out.allowed.begin(), out.allowed.end(), r.route.method) == out.allowed.end()) {
      out.allowed.push_back(r.route.method);
    }
    if (r.route.method == method && (!best || more_specific(r, *best))) best = &r;
    if (r.route.method == "GET" && (!best_get || more_specific(r, *best_get))) best_get = &r;
  }
  if (!best && method == "HEAD") best = best_get;
  if (best_get) out.allowed.push_back("HEAD");
  if (!out.allowed.empty()) out.allowed.push_back("OPTIONS");
  if (best) {
    out.route = best;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].is_param) out.params[best->segments[i].text] = segments[i];
    }
  }
  return out;
}

}  // namespace onex::http::detail
