// The rich-text sanitiser (SPEC.md §5: teachers and venue descriptions are sanitised against an
// allow-list with a real HTML parser): hostile samples lose what could run and keep their text.
#include <string>

#include <doctest/doctest.h>

#include "html/sanitize.h"

using onex::html::has_content;
using onex::html::sanitize;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

TEST_CASE("allowed markup passes through unchanged in meaning") {
  CHECK(sanitize("<p>教师 <b>三</b> 名</p>") == "<p>教师 <b>三</b> 名</p>");
  CHECK(sanitize("<ul><li>一</li><li>二</li></ul>") == "<ul><li>一</li><li>二</li></ul>");
  CHECK(sanitize("a<br>b") == "<p>a<br>b</p>");
  CHECK(sanitize("<table><tr><td colspan=\"2\">x</td></tr></table>") ==
        "<table><tr><td colspan=\"2\">x</td></tr></table>");
  CHECK(sanitize("<a href=\"https://example.cn/a?b=1&amp;c=2\" title=\"t\">link</a>") ==
        "<a href=\"https://example.cn/a?b=1&amp;c=2\" title=\"t\">link</a>");
  CHECK(sanitize("<img src=\"http://example.cn/x.png\" alt=\"场地\" width=\"100\" height=\"80\">") ==
        "<img src=\"http://example.cn/x.png\" alt=\"场地\" width=\"100\" height=\"80\">");
  CHECK(sanitize("<a href=\"mailto:a@example.cn\">mail</a>") ==
        "<a href=\"mailto:a@example.cn\">mail</a>");
  CHECK(sanitize("") == "");
}

TEST_CASE("script, style and embedded documents go with their content, the text around stays") {
  const std::string s = sanitize("before<script>alert(1)</script>after<style>p{}</style>"
                                 "<iframe src=\"https://evil\">in frame</iframe>"
                                 "<object data=\"x\">obj</object><embed src=\"x\">"
                                 "<form action=\"x\"><input value=\"v\">f</form><embed src=\"x\">end");
  CHECK(contains(s, "before"));
  CHECK(contains(s, "after"));
  CHECK(contains(s, "end"));
  for (const char* bad : {"script", "alert", "style", "iframe", "object", "embed", "form", "input",
                          "in frame", "p{}", ">f<"})
    CHECK_MESSAGE(!contains(lower(s), bad), s);
}

TEST_CASE("event handler and style attributes are dropped, the element and its text kept") {
  const std::string s = sanitize("<img src=x onerror=alert(1)><p onclick=\"steal()\" style=\"x\" "
                                 "class=\"c\" id=\"i\">kept text</p><b OnMouseOver=x>bold</b>");
  CHECK(contains(s, "kept text"));
  CHECK(contains(s, "<b>bold</b>"));
  CHECK(contains(s, "<p>kept text</p>"));
  CHECK(!contains(lower(s), "onerror"));
  CHECK(!contains(lower(s), "onclick"));
  CHECK(!contains(lower(s), "onmouseover"));
  CHECK(!contains(lower(s), "style"));
  CHECK(!contains(lower(s), "alert"));
  CHECK(!contains(s, "src=\"x\""));  // not an http(s) URL
}

TEST_CASE("javascript:, vbscript: and data: URLs are refused however they are written") {
  for (const char* href :
       {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
        "java\tscript:alert(1)", "java&#x09;script:alert(1)", "&#106;avascript:alert(1)",
        "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
        "&#0000106avascript:alert(1)", "javascript&colon;alert(1)", "vbscript:msgbox(1)",
        "VBScript:x", "data:text/html;base64,PHNjcmlwdD4=", "DATA:text/html,<script>x</script>",
        "\x01javascript:alert(1)", "//evil.example/x", "/relative"}) {
    const std::string s = sanitize(std::string("<a href=\"") + href + "\">click me</a>");
    INFO(href << " → " << s);
    CHECK(contains(s, "click me"));
    CHECK(!contains(s, "href"));
    CHECK(!contains(lower(s), "script:"));
  }
  const std::string img = sanitize("<img src=\"data:image/png;base64,AAAA\" alt=\"a\">");
  CHECK(img == "<img alt=\"a\">");
  CHECK(sanitize("<img src=\"JAVASCRIPT:x\">") == "<img>");
}

TEST_CASE("svg and math with handlers go whole, unknown elements keep their text") {
  const std::string s = sanitize("<svg onload=alert(1)><circle/>svgtext</svg>"
                                 "<math><mi>x</mi></math><custom-el data-x=1>visible</custom-el>"
                                 "<font color=red>red</font>");
  CHECK(!contains(lower(s), "svg"));
  CHECK(!contains(lower(s), "onload"));
  CHECK(!contains(s, "svgtext"));
  CHECK(!contains(lower(s), "math"));
  CHECK(contains(s, "visible"));
  CHECK(contains(s, "red"));
  CHECK(!contains(s, "custom"));
  CHECK(!contains(s, "font"));
}

TEST_CASE("unclosed tags, comments and CDATA come out well formed with their text") {
  CHECK(sanitize("<p><b>bold<i>both") == "<p><b>bold<i>both</i></b></p>");
  const std::string c = sanitize("a<!-- <script>alert(1)</script> -->b<!--[if IE]><script>x</script><![endif]-->c");
  CHECK(contains(c, "a"));
  CHECK(contains(c, "b"));
  CHECK(contains(c, "c"));
  CHECK(!contains(c, "<!--"));
  CHECK(!contains(c, "script"));
  const std::string d = sanitize("x<![CDATA[<script>alert(1)</script>]]>y");
  CHECK(contains(d, "x"));
  CHECK(contains(d, "y"));
  CHECK(!contains(d, "<script"));
  // Text that looks like markup is escaped on output.
  const std::string e = sanitize("1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;script&gt;");
  CHECK(contains(e, "1 &lt; 2 &amp;&amp; 3 &gt; 2 &lt;script&gt;"));
  // An attribute that tries to break out of its quotes stays inside them.
  const std::string f = sanitize("<a title='\"><script>x</script>' href=\"https://a.cn\">t</a>");
  CHECK(!contains(f, "<script"));
  CHECK(contains(f, "title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""));
}

TEST_CASE("sanitising is idempotent and deterministic") {
  const std::string hostile = "<div onclick=x><p>一<a href='javascript:x'>二</a><script>3</script>"
                              "<img src=https://a.cn/i.png onerror=y>四</p></div>";
  const std::string once = sanitize(hostile);
  CHECK(sanitize(once) == once);
  CHECK(sanitize(hostile) == once);
}

TEST_CASE("has_content sees text or an image, not empty markup") {
  CHECK(!has_content(""));
  CHECK(!has_content(sanitize("<p> </p><br>")));
  CHECK(!has_content(sanitize("<script>x</script>")));
  CHECK(!has_content(sanitize("<p>&nbsp;</p>")));
  CHECK(has_content(sanitize("<p>x</p>")));
  CHECK(has_content(sanitize("<img src=\"https://a.cn/x.png\">")));
}
