#!/usr/bin/env bash
# Conformance with a client nobody here wrote: python-aliexpress-api 3.1.0 (md5 signing, system
# parameters in the query string, business parameters in the form body) searches products, fetches
# details and generates affiliate links against `alifeed sandbox`.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${CONFORMANCE_VENV:-.build/conformance-venv}"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "python-aliexpress-api==3.1.0"

swift build --product alifeed >/dev/null
BIN="$(swift build --show-bin-path)/alifeed"

LOG="$(mktemp)"
source scripts/lib/sandbox.sh
start_sandbox "$BIN" "$LOG" >"$LOG.url" || exit 1
URL="$(cat "$LOG.url")"
trap 'kill $SANDBOX_PID 2>/dev/null || true; rm -f "$LOG" "$LOG.url"' EXIT
KEY="$(sed -n 's/^ *ALIEXPRESS_APP_KEY=//p' "$LOG")"
SECRET="$(sed -n 's/^ *ALIEXPRESS_APP_SECRET=//p' "$LOG")"
TRACKING="$(sed -n 's/^ *ALIEXPRESS_TRACKING_ID=//p' "$LOG")"

SANDBOX_URL="$URL" APP_KEY="$KEY" APP_SECRET="$SECRET" TRACKING_ID="$TRACKING" "$VENV/bin/python" - <<'PY'
import http.client, os, sys
from urllib.parse import urlparse

from aliexpress_api import AliexpressApi, models
from aliexpress_api.skd.api import base

# The library talks plain HTTP to api-sg.aliexpress.com:80; send its connections to the sandbox.
target = urlparse(os.environ["SANDBOX_URL"])
real_connection = http.client.HTTPConnection
base.httplib.HTTPConnection = lambda host, port, timeout=30: real_connection(target.hostname, target.port, timeout=timeout)

api = AliexpressApi(os.environ["APP_KEY"], os.environ["APP_SECRET"], models.Language.EN, models.Currency.EUR,
                    os.environ["TRACKING_ID"])
checks = 0

products = api.get_products(keywords="wireless earbuds", page_size=10)
assert products.current_record_count == 10, products.current_record_count
assert products.total_record_count >= 10
ids = [p.product_id for p in products.products]
assert all(isinstance(i, int) and i > 10**15 for i in ids), ids
assert all(p.target_sale_price_currency == "EUR" for p in products.products)
print(f"search: {len(ids)} products of {products.total_record_count}, first '{products.products[0].product_title[:60]}'")
checks += 1

page2 = api.get_products(keywords="wireless earbuds", page_size=10, page_no=2)
assert not set(ids) & {p.product_id for p in page2.products}, "page 2 repeats page 1"
checks += 1

details = api.get_products_details([str(i) for i in ids[:5]])
assert [d.product_id for d in details] == ids[:5], [d.product_id for d in details]
print(f"details: {len(details)} products")
checks += 1

urls = [f"https://www.aliexpress.com/item/{i}.html" for i in ids]
links = api.get_affiliate_links(urls)
assert len(links) >= len(urls) - 2, len(links)
assert all(l.promotion_link.startswith("https://s.click.aliexpress.com/e/_") for l in links)
assert all(l.source_value in urls for l in links)
print(f"links: {len(links)} of {len(urls)} sources, e.g. {links[0].promotion_link}")
checks += 1

hot = api.get_hotproducts(keywords="led strip", page_size=5)
assert hot.current_record_count > 0
checks += 1

categories = api.get_categories()
parents = api.get_parent_categories(use_cache=False)
assert len(categories) > len(parents) > 0
print(f"categories: {len(categories)} ({len(parents)} top level)")
checks += 1

# A wrong secret must be refused with the real error code.
bad = AliexpressApi(os.environ["APP_KEY"], "not-the-secret", models.Language.EN, models.Currency.EUR, os.environ["TRACKING_ID"])
try:
    bad.get_products(keywords="usb cable")
    raise AssertionError("a wrong secret was accepted")
except Exception as error:
    assert "IncompleteSignature" in repr(error.__cause__) or "signature" in str(error).lower(), repr(error)
checks += 1

print(f"conformance: {checks} passed, 0 failed")
PY
