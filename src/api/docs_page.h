// The interactive API reference served at GET /docs (and /redoc): one self-contained
// HTML page (src/api/docs_page.html, embedded at build time), with its CSS and JavaScript inline and no external resource (no CDN, no
// font, no image: the service runs offline and never calls third parties). The page
// fetches /openapi.json from the same origin, lists the routes grouped by tag, shows
// each route's parameters and documented responses, and lets the user fill the
// parameters and "Try it": a same-origin fetch whose status, time, headers and
// pretty-printed JSON body it shows. Everything received is inserted as text, never as
// HTML, so node data cannot inject markup.
// Thread-safety: immutable data.
#pragma once

#include <string_view>

#include "http/message.h"

namespace pnode::api {

// The page, as served.
std::string_view docs_page_html();

// 200 text/html with the page (one shared body) and the policy below.
http::Response docs_page_response();

// The Content-Security-Policy sent with the page: it lets the page run its own inline
// script and style and talk to its own origin only, so a browser refuses any external
// resource even if one slipped into the page.
inline constexpr std::string_view kDocsPageCsp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace pnode::api
