#include "html/sanitize.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

namespace onex::html {
namespace {

constexpr std::array<std::string_view, 33> kAllowed = {
    "p",  "br", "b",  "strong", "i",     "em",    "u",     "s",          "sub",
    "sup", "ul", "ol", "li",     "h1",    "h2",    "h3",    "h4",         "h5",
    "h6", "blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th",
    "td", "span", "div", "a", "img", "tfoot"};

// Dropped with everything inside them: code, embedded documents, forms. Void elements (embed,
// input, meta, ...) are not here: libxml2 may hang the text that follows them inside them.
constexpr std::array<std::string_view, 24> kDropped = {
    "script", "style",    "iframe",   "object",   "svg",      "math",     "form",
    "template", "noscript", "noembed", "noframes", "frameset", "applet",  "title",
    "textarea", "select",  "option",   "button",   "audio",    "video",    "canvas",
    "xmp",    "plaintext", "dialog"};

template <std::size_t N>
bool among(const std::array<std::string_view, N>& set, std::string_view name) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

std::string_view name_of(const xmlNode* n) {
  return n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void escape_text(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
}

void escape_attribute(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

// The attribute's value with entities already decoded by the parser.
std::string value_of(const xmlAttr* a) {
  std::string v;
  for (const xmlNode* c = a->children; c; c = c->next)
    if (c->content) v += reinterpret_cast<const char*>(c->content);
  return v;
}

// A URL the browser would read with one of `schemes`. Control characters and white space are
// what browsers skip inside or around a scheme ("java\tscript:", " javascript:"), so they are
// removed before the scheme is compared; anything not on the list (javascript:, vbscript:,
// data:, relative URLs) is refused. Returns the cleaned URL, or "" when refused.
std::string safe_url(std::string_view value, std::initializer_list<std::string_view> schemes) {
  std::string cleaned;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) continue;
    cleaned += c;
  }
  const std::string folded = lower(cleaned);
  for (auto scheme : schemes)
    if (folded.starts_with(scheme) && folded.size() > scheme.size()) return cleaned;
  return {};
}

bool small_number(std::string_view v) {
  return !v.empty() && v.size() <= 4 &&
         std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The allowed attribute `name="value"` of element `element`, or nothing.
void write_attribute(std::string& out, std::string_view element, const xmlAttr* a) {
  const std::string name = lower(name_of(reinterpret_cast<const xmlNode*>(a)));
  const std::string value = value_of(a);
  std::string kept;
  bool keep = false;
  if (element == "a" && name == "href") {
    kept = safe_url(value, {"http://", "https://", "mailto:"});
    keep = !kept.empty();
  } else if (element == "a" && name == "title") {
    kept = value, keep = value.size() <= 1024;
  } else if (element == "img" && name == "src") {
    kept = safe_url(value, {"http://", "https://"});
    keep = !kept.empty();
  } else if (element == "img" && name == "alt") {
    kept = value, keep = value.size() <= 1024;
  } else if (element == "img" && (name == "width" || name == "height")) {
    kept = value, keep = small_number(value);
  } else if ((element == "td" || element == "th") && (name == "colspan" || name == "rowspan")) {
    kept = value, keep = small_number(value);
  }
  if (!keep) return;
  out += ' ';
  out += name;
  out += "=\"";
  escape_attribute(out, kept);
  out += '"';
}

void write(std::string& out, const xmlNode* node, int depth);

void write_children(std::string& out, const xmlNode* node, int depth) {
  for (const xmlNode* c = node->children; c; c = c->next) write(out, c, depth + 1);
}

void write(std::string& out, const xmlNode* node, int depth) {
  if (depth > 512) return;  // libxml2 stops nesting far earlier; a bound all the same
  switch (node->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      if (node->content) escape_text(out, reinterpret_cast<const char*>(node->content));
      return;
    case XML_ELEMENT_NODE: break;
    case XML_DOCUMENT_NODE:
    case XML_HTML_DOCUMENT_NODE:
    case XML_DOCUMENT_FRAG_NODE: write_children(out, node, depth); return;
    default: return;  // comments, processing instructions, DTDs, entity references
  }
  const std::string name = lower(name_of(node));
  if (among(kDropped, name)) return;
  if (!among(kAllowed, name)) {  // html, body, head, font, unknown tags: only what is inside
    write_children(out, node, depth);
    return;
  }
  out += '<';
  out += name;
  for (const xmlAttr* a = node->properties; a; a = a->next) write_attribute(out, name, a);
  out += '>';
  if (name == "br" || name == "img") return;  // void elements
  write_children(out, node, depth);
  out += "</";
  out += name;
  out += '>';
}

}  // namespace

std::string sanitize(std::string_view input) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (input.empty()) return {};
  // A fragment: libxml2 wraps it in html/body itself. No network, no error output, no entity
  // loading (the HTML parser resolves only the predefined HTML entities).
  htmlDocPtr doc = htmlReadMemory(input.data(), static_cast<int>(input.size()), nullptr, "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  if (!doc) {
    std::string out;
    escape_text(out, input);  // libxml2 could not even start: keep it as plain text
    return out;
  }
  std::string out;
  out.reserve(input.size());
  write(out, reinterpret_cast<const xmlNode*>(doc), 0);
  xmlFreeDoc(doc);
  return out;
}

bool has_content(std::string_view html) {
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == '<') {
      if (html.substr(i, 4) == "<img") return true;
      in_tag = true;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (html.substr(i, 2) == "\xC2\xA0") {  // no-break space
      ++i;
      continue;
    }
    return true;
  }
  return false;
}

}  // namespace onex::html
