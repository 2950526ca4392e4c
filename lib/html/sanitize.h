// Rich text from users (a declaration's teachers and venue descriptions), made safe to show in a
// browser: parsed by libxml2's HTML parser and written out again with only an allow-list of
// elements and attributes. Internal to onex; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace onex::html {

// Inputs longer than this are refused by the callers (422 too_long) before they are parsed.
inline constexpr std::size_t kMaxInput = 64 * 1024;

// Returns `input` as well-formed HTML holding only
//   p br b strong i em u s sub sup ul ol li h1-h6 blockquote pre code table thead tbody tr th td
//   span div a img
// with the attributes a[href (http, https, mailto), title], img[src (http, https), alt, width,
// height], th/td[colspan, rowspan]. Script-like elements (script, style, iframe, object, embed,
// svg, math, form, template, ...) are dropped with their content; any other unknown element is
// dropped but its text is kept; comments go. Text and attribute values are escaped. Never loads
// anything over the network or from entities. Deterministic: the same input gives the same output.
std::string sanitize(std::string_view input);

// True when sanitised HTML shows something: text other than white space, or an image.
bool has_content(std::string_view sanitized);

}  // namespace onex::html
