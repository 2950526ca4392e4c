#include <date/date.h>
#include <fmt/format.h>

#include <sstream>

#include "onex/clock.h"

namespace onex {
namespace {

std::string format_with_offset(Timestamp t, std::chrono::minutes offset, std::string_view suffix,
                               bool always_millis) {
  const auto local = t + offset;
  const auto day = std::chrono::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::milliseconds> tod{local - day};
  std::string s = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(ymd.year()),
                              unsigned(ymd.month()), unsigned(ymd.day()), tod.hours().count(),
                              tod.minutes().count(), tod.seconds().count());
  if (always_millis || tod.subseconds().count() != 0)
    s += fmt::format(".{:03}", tod.subseconds().count());
  s += suffix;
  return s;
}

}  // namespace

std::string format_utc(Timestamp t) {
  return format_with_offset(t, std::chrono::minutes{0}, "Z", true);
}

std::string format_china(Timestamp t) {
  return format_with_offset(t, std::chrono::hours{8}, "+08:00", false);
}

Result<Timestamp> parse_time(std::string_view text) {
  auto invalid = [&] {
    return Status::unprocessable("invalid_time",
                                 "not an RFC 3339 time with offset: \"" + std::string(text) + "\"");
  };
  // RFC 3339 requires a 'T' (or 't') between date and time and an explicit offset or 'Z'.
  if (text.size() < 20 || text.size() > 40 || (text[10] != 'T' && text[10] != 't')) return invalid();
  std::string s(text);
  s[10] = 'T';
  if (s.back() == 'z') s.back() = 'Z';
  std::istringstream in(s);
  date::sys_time<std::chrono::nanoseconds> tp;
  if (s.back() == 'Z') {
    in >> date::parse("%FT%TZ", tp);
  } else {
    in >> date::parse("%FT%T%Ez", tp);
  }
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) return invalid();
  return std::chrono::time_point_cast<std::chrono::milliseconds>(tp);
}

}  // namespace onex
