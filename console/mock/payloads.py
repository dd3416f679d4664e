"""Payloads that read like production: process inputs/outputs, step inputs/outputs and errors.

Every function is pure: it derives all its variety from the integer ``r`` it is given (a 64-bit
random number), so generation stays deterministic and cheap.
"""

from __future__ import annotations

from typing import Any

FIRST = ["ana", "bo", "chen", "dmitri", "elif", "farah", "goran", "hana", "ivan", "jules", "kofi",
         "lena", "mateo", "noor", "olga", "priya", "quinn", "rafael", "sofia", "tariq"]
LAST = ["silva", "nguyen", "kowalski", "haddad", "okafor", "schmidt", "tanaka", "moreau", "rossi", "ivanova"]
CITIES = [("Berlin", "DE"), ("Austin", "US"), ("Lyon", "FR"), ("Osaka", "JP"), ("Toronto", "CA"),
          ("Leeds", "GB"), ("Porto", "PT"), ("Pune", "IN"), ("Denver", "US"), ("Madrid", "ES")]
CURRENCIES = ["USD", "EUR", "GBP", "USD", "CAD", "USD"]
CARRIERS = ["UPS", "FEDEX", "DHL", "USPS"]
TEMPLATES = ["order_confirmation", "password_reset", "shipping_update", "refund_issued", "welcome", "digest"]
PRODUCTS = ["espresso-machine", "yoga-mat", "usb-c-hub", "trail-shoes", "desk-lamp", "water-bottle",
            "noise-cancelling-headphones", "cast-iron-pan", "backpack-28l", "mechanical-keyboard"]

PREFIX = {"order": "order", "payment": "pay", "refund": "refund", "payout": "payout", "settlement": "batch",
          "email": "msg", "sms": "sms", "push": "push", "shipment": "ship", "user": "user", "cart": "cart",
          "cleanup": "job", "test": "corr"}

ERRORS = {
    "HTTP": ["HTTP 502 from {svc}: upstream connect error or disconnect/reset before headers",
             "HTTP 503 from {svc}: service unavailable (circuit open)",
             "HTTP 429 from {svc}: rate limit exceeded, retry after 30s",
             "HTTP 400 from {svc}: invalid request body: field 'amount' must be positive",
             "connect timeout after 5000 ms calling {svc}"],
    "WORKER": ["ValueError: inventory reservation failed for sku {sku}: insufficient stock",
               "KeyError: 'customerId' missing from input",
               "psycopg.errors.SerializationFailure: could not serialize access due to concurrent update",
               "RuntimeError: worker {svc} crashed: out of memory"],
    "JAVASCRIPT": ["TypeError: Cannot read properties of undefined (reading 'amount')",
                   "ReferenceError: customer is not defined"],
    "JQ": ["jq: error (at <stdin>:0): Cannot index array with \"total\""],
    "SUB_PROCESS": ["sub process {svc} ended FAILED"],
}
DEFAULT_ERRORS = ["step failed: unexpected error"]


def _person(r: int) -> tuple[str, str]:
    first = FIRST[r % 20]
    last = LAST[(r >> 5) % 10]
    return f"{first.capitalize()} {last.capitalize()}", f"{first}.{last}@example.com"


def correlation_id(kind: str, r: int) -> str:
    return f"{PREFIX.get(kind, 'corr')}-{10000 + r % 90000}"


def request_id(r: int) -> str:
    h = f"{r & ((1 << 128) - 1):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def make_input(kind: str, r: int) -> dict[str, Any]:
    name, email = _person(r >> 3)
    n = 10000 + r % 90000
    amount = round(((r >> 11) % 50000) / 100 + 5, 2)
    cur = CURRENCIES[(r >> 27) % 6]
    city, country = CITIES[(r >> 31) % 10]
    if kind in ("order", "cart"):
        items = [{"sku": f"SKU-{1000 + ((r >> (35 + i * 3)) % 9000)}", "name": PRODUCTS[(r >> (40 + i)) % 10],
                  "qty": 1 + (r >> (44 + i)) % 3} for i in range(1 + (r >> 50) % 3)]
        return {"orderId": f"ord_{n}", "customer": {"name": name, "email": email},
                "items": items, "amount": amount, "currency": cur,
                "shippingAddress": {"city": city, "country": country}}
    if kind in ("payment", "refund", "payout"):
        d = {"paymentId": f"pay_{n}", "orderId": f"ord_{(n * 7) % 90000 + 10000}", "amount": amount,
             "currency": cur, "method": ["card", "card", "sepa_debit", "apple_pay"][(r >> 35) % 4],
             "card": {"brand": ["visa", "mastercard", "amex"][(r >> 37) % 3], "last4": f"{(r >> 39) % 10000:04d}"}}
        if kind == "refund":
            d["reason"] = ["requested_by_customer", "duplicate", "fraudulent"][(r >> 41) % 3]
        if kind == "payout":
            d["merchantId"] = f"mer_{(r >> 41) % 5000}"
        return d
    if kind == "settlement":
        return {"batchDate": "T-1", "acquirer": ["adyen", "stripe", "worldpay"][(r >> 9) % 3], "currency": cur}
    if kind in ("email", "sms", "push"):
        return {"to": email if kind == "email" else f"+1555{(r >> 9) % 10000000:07d}",
                "template": TEMPLATES[(r >> 13) % 6], "locale": ["en-US", "de-DE", "fr-FR"][(r >> 17) % 3],
                "variables": {"firstName": name.split()[0], "orderId": f"ord_{n}"}}
    if kind == "shipment":
        return {"shipmentId": f"shp_{n}", "orderId": f"ord_{(n * 3) % 90000 + 10000}",
                "carrier": CARRIERS[(r >> 9) % 4], "weightKg": round(((r >> 12) % 2000) / 100 + 0.2, 2),
                "destination": {"city": city, "country": country}}
    if kind == "user":
        return {"userId": f"usr_{n}", "email": email, "name": name, "plan": ["free", "pro", "team"][(r >> 9) % 3]}
    if kind == "cleanup":
        return {"olderThanDays": 30 + (r % 60), "dryRun": bool((r >> 7) & 1), "table": "sessions"}
    return {"test1": "value", "test2": r % 1000, "test3": float(r % 100)}


def make_output(kind: str, r: int, inp: dict[str, Any]) -> dict[str, Any]:
    if kind in ("order", "cart"):
        return {"orderId": inp.get("orderId"), "status": "CONFIRMED", "chargeId": f"ch_{r % 10**8:08d}",
                "estimatedDelivery": f"2026-12-{1 + r % 20:02d}"}
    if kind in ("payment", "refund", "payout"):
        return {"paymentId": inp.get("paymentId"), "status": {"refund": "REFUNDED", "payout": "PAID"}.get(kind, "CAPTURED"),
                "gatewayReference": f"gw_{r % 10**10:010d}", "amount": inp.get("amount")}
    if kind == "settlement":
        return {"settled": 40 + r % 900, "failed": r % 3, "totalAmount": round((r % 10**7) / 100, 2)}
    if kind in ("email", "sms", "push"):
        return {"messageId": f"{kind}_{r % 10**9:09d}", "delivered": True, "provider": ["ses", "sendgrid", "twilio", "fcm"][r % 4]}
    if kind == "shipment":
        return {"shipmentId": inp.get("shipmentId"), "trackingNumber": f"1Z{r % 10**12:012d}",
                "labelUrl": f"https://labels.example.com/{r % 10**8}.pdf", "status": "LABEL_CREATED"}
    if kind == "user":
        return {"userId": inp.get("userId"), "verified": bool(r & 1), "status": "ACTIVE"}
    if kind == "cleanup":
        return {"deleted": r % 5000, "durationMs": 1000 + r % 60000}
    return {"result": "ok", "echo": inp}


def step_service(step_def: dict[str, Any]) -> str:
    return step_def["name"] if step_def["name"] != step_def["ref"] else step_def["ref"].replace("_", "-")


def error_message(step_def: dict[str, Any], r: int) -> str:
    choices = ERRORS.get(step_def["type"], DEFAULT_ERRORS)
    return choices[r % len(choices)].format(svc=step_service(step_def), sku=f"SKU-{1000 + r % 9000}")


def step_input(step_def: dict[str, Any], proc_input: dict[str, Any], r: int) -> dict[str, Any]:
    t = step_def["type"]
    if t == "HTTP":
        svc = step_service(step_def)
        return {"method": "POST" if r & 1 else "GET", "url": f"https://{svc}.internal.acme.io/v1/{step_def['ref']}",
                "headers": {"X-Request-Source": "unmeshed"}, "body": proc_input}
    if t == "WORKER":
        return dict(proc_input)
    if t == "JAVASCRIPT":
        return {"script": f"(steps, context) => {{ return validate(context.input); }} // {step_def['ref']}",
                "input": proc_input}
    if t == "JQ":
        return {"transformer": step_def["configuration"].get("jqTransformer", "."), "input": proc_input}
    if t == "WAIT":
        return {"waitSeconds": 5 + r % 300}
    if t == "FOREACH":
        return {"items": [f"item-{i}" for i in range(1 + r % 4)]}
    if t == "SWITCH":
        return {"condition": "{{ context.input.amount > 100 }}"}
    if t == "SUB_PROCESS":
        return {"namespace": step_def["namespace"], "name": step_def["ref"], "input": proc_input}
    return {}


def step_output(step_def: dict[str, Any], r: int, selected: str | None = None) -> dict[str, Any]:
    t = step_def["type"]
    if t == "HTTP":
        return {"statusCode": 200, "headers": {"content-type": "application/json"},
                "body": {"ok": True, "id": f"{step_def['ref']}_{r % 10**6:06d}"}, "latencyMs": 20 + r % 900}
    if t == "WORKER":
        return {"result": "SUCCESS", "worker": step_service(step_def), "processedRecords": 1 + r % 40}
    if t == "JAVASCRIPT":
        return {"result": {"valid": True, "score": r % 100}}
    if t == "JQ":
        return {"result": {"id": f"ord_{10000 + r % 90000}", "total": round((r % 100000) / 100, 2)}}
    if t == "SWITCH":
        return {"selectedCase": selected}
    if t == "FOREACH":
        return {"iterations": 1 + r % 4}
    if t == "SUB_PROCESS":
        return {"processId": 900_000 + r % 90_000, "status": "COMPLETED"}
    if t == "WAIT":
        return {"waitedSeconds": 5 + r % 300}
    return {}
