"""The mock's process definitions and API mappings, written in a tiny step language.

A step list is steps separated by white space; one step is

    ref:TYPE[=step-name] [ [children ...] ] [?] [+N]

``ref:TYPE`` names the step by its ``ref`` (the step name defaults to it); ``[ ... ]`` holds its
children (PARALLEL, FOREACH, SWITCH, SUB_PROCESS); after them, ``?`` marks the step optional and
``+N`` says it exists from version N on (so older versions look older): a container's suffixes
come after its closing bracket and cover its children, as in ``notify:SUB_PROCESS[send:HTTP]+2``.
Anything else (a stray bracket or suffix, a step without a ref or type) is a ValueError naming
the definition, so a typo cannot become a nameless step.
"""

from __future__ import annotations

import re
from typing import Any

# (namespace, name, process type, payload kind, versions, description, steps)
DEFINITIONS: list[tuple[str, str, str, str, int, str, str]] = [
    ("default", "test_process", "STANDARD", "test", 2, "Sample process used by the SDK README",
     "validate_input:JAVASCRIPT test_worker:WORKER=test_worker transform_output:JQ+2 done:NOOP"),
    ("default", "hello_world", "STANDARD", "test", 1, "Greets, waits a little, logs",
     "greet:JAVASCRIPT wait_a_bit:WAIT log_result:NOOP"),
    ("default", "nightly_cleanup", "INTERNAL", "cleanup", 1, "Purges stale records every night",
     "list_stale:HTTP purge:FOREACH[delete_record:WORKER=cleanup-delete] build_report:JQ "
     "notify_ops:SUB_PROCESS[ops_alert:HTTP]"),
    ("payments", "charge_card", "STANDARD", "payment", 3, "Authorizes and captures a card payment",
     "validate_payment:JAVASCRIPT fraud_check:HTTP+2 authorize:HTTP=payments-gateway-authorize "
     "route:SWITCH[capture_now:WORKER=payments-capture hold_for_review:WAIT] "
     "record_ledger:WORKER=ledger-writer emit_event:NOOP+3"),
    ("payments", "refund_payment", "STANDARD", "refund", 2, "Refunds a captured payment",
     "load_charge:HTTP check_refund_window:JAVASCRIPT refund:HTTP=payments-gateway-refund "
     "record_ledger:WORKER=ledger-writer notify_customer:SUB_PROCESS[send_receipt:WORKER=email-sender]+2"),
    ("payments", "settle_batch", "INTERNAL", "settlement", 1, "Settles the day's captured payments",
     "fetch_unsettled:HTTP settle_each:FOREACH[settle:HTTP=acquirer-settle mark_settled:WORKER=ledger-writer] "
     "reconcile:JQ publish_report:WORKER=report-builder"),
    ("payments", "payout_merchant", "STANDARD", "payout", 1, "Pays a merchant its balance",
     "compute_payout:JAVASCRIPT kyc_gate:SWITCH[kyc_ok:NOOP kyc_review:WAIT] "
     "transfer:HTTP=bank-transfer record_ledger:WORKER=ledger-writer"),
    ("payments", "dispute_chargeback", "STANDARD", "payment", 1, "Collects evidence for a chargeback",
     "load_dispute:HTTP gather:PARALLEL[fetch_receipt:WORKER=receipt-store fetch_shipping:HTTP "
     "fetch_logs:WORKER=audit-log] build_evidence:JQ submit_evidence:HTTP=card-network-api "
     "await_decision:WAIT"),
    ("orders", "create_order", "API_ORCHESTRATION", "order", 2, "Validates, prices, charges and confirms an order",
     "validate_order:JAVASCRIPT price_order:JQ checks:PARALLEL[reserve_inventory:WORKER=inventory-reserve "
     "fraud_score:HTTP=fraud-api address_check:HTTP?] charge:SUB_PROCESS[charge_card:HTTP=payments-gateway-authorize] "
     "confirm_order:WORKER=order-confirm send_confirmation:WORKER=email-sender+2"),
    ("orders", "cancel_order", "STANDARD", "order", 1, "Cancels an order and releases its holds",
     "load_order:HTTP can_cancel:SWITCH[release:PARALLEL[release_inventory:WORKER=inventory-release "
     "void_payment:HTTP=payments-gateway-void] reject:NOOP] notify_customer:WORKER=email-sender"),
    ("orders", "fulfil_order", "STANDARD", "shipment", 2, "Picks, packs and hands an order to a carrier",
     "pick_items:FOREACH[pick_item:WORKER=warehouse-pick] pack:WORKER=warehouse-pack "
     "print_label:HTTP=carrier-label quality_check:JAVASCRIPT+2 handoff:WAIT notify:HTTP"),
    ("orders", "order_status_sync", "INTERNAL", "cleanup", 1, "Syncs order statuses to the marketplace",
     "fetch_changed:HTTP diff:JQ push_updates:FOREACH[push_status:HTTP=marketplace-api] done:NOOP"),
    ("orders", "abandoned_cart_reminder", "DYNAMIC", "cart", 1, "Reminds shoppers of abandoned carts",
     "find_carts:HTTP wait_grace:WAIT segment:JAVASCRIPT remind:SUB_PROCESS[send_email:HTTP]"),
    ("notifications", "send_email", "STANDARD", "email", 3, "Renders and sends a transactional email",
     "render_template:JAVASCRIPT choose_provider:SWITCH[via_ses:HTTP=aws-ses via_sendgrid:HTTP=sendgrid] "
     "record_delivery:WORKER=delivery-tracker+2 track_open:NOOP+3"),
    ("notifications", "send_sms", "STANDARD", "sms", 1, "Sends an SMS through Twilio",
     "normalize_number:JAVASCRIPT rate_limit:WORKER=rate-limiter send:HTTP=twilio record_delivery:WORKER=delivery-tracker"),
    ("notifications", "push_notification", "STANDARD", "push", 1, "Fans out a push notification",
     "load_devices:HTTP fan_out:FOREACH[push:HTTP=fcm] collect:JQ"),
    ("notifications", "daily_digest", "INTERNAL", "email", 1, "Builds and sends the daily digest",
     "collect_events:HTTP build:PARALLEL[summarize:JAVASCRIPT render_html:WORKER=template-renderer] "
     "send_all:FOREACH[send_email:SUB_PROCESS[deliver:HTTP=aws-ses]] archive:NOOP"),
    ("shipping", "create_shipment", "STANDARD", "shipment", 2, "Books a shipment with the cheapest carrier",
     "get_rates:PARALLEL[rate_ups:HTTP=ups-api rate_fedex:HTTP=fedex-api rate_dhl:HTTP=dhl-api?] "
     "choose_carrier:JQ book:HTTP=carrier-book store_label:WORKER=label-store notify:NOOP+2"),
    ("shipping", "track_shipment", "STANDARD", "shipment", 1, "Polls a carrier for tracking events",
     "fetch_tracking:HTTP=carrier-tracking parse_events:JQ delivered:SWITCH[mark_delivered:WORKER=order-update "
     "schedule_recheck:WAIT]"),
    ("shipping", "return_label", "STANDARD", "shipment", 1, "Issues a return label",
     "check_eligibility:JAVASCRIPT create_label:HTTP=carrier-label email_label:WORKER=email-sender"),
    ("identity", "user_signup", "STANDARD", "user", 2, "Creates an account and verifies the email",
     "validate_signup:JAVASCRIPT create_user:WORKER=user-create verify_email:SUB_PROCESS[send_code:HTTP=aws-ses] "
     "wait_verification:WAIT welcome:WORKER=email-sender+2"),
    ("identity", "password_reset", "STANDARD", "user", 1, "Sends a password reset link",
     "lookup_user:HTTP issue_token:WORKER=token-service send_link:HTTP=aws-ses audit:NOOP"),
    ("identity", "gdpr_export", "DYNAMIC", "user", 1, "Exports everything known about a user",
     "lookup_user:HTTP collect:PARALLEL[orders_data:HTTP payments_data:HTTP events_data:WORKER=event-export] "
     "bundle:JAVASCRIPT upload:WORKER=s3-uploader notify_user:SUB_PROCESS[send_email:HTTP=aws-ses]"),
]

#: endpoint -> (namespace, name): the API mappings served under ``api/call/{endpoint}``.
API_MAPPINGS: dict[str, tuple[str, str]] = {
    "test_process_endpoint": ("default", "test_process"),
    "create_order": ("orders", "create_order"),
    "refund_payment": ("payments", "refund_payment"),
    "send_email": ("notifications", "send_email"),
    "track_shipment": ("shipping", "track_shipment"),
}

#: ``[``, ``]``, ``?``, ``+N`` or a step head (anything up to one of those or white space)
_TOKEN = re.compile(r"[\[\]?]|\+\d+|[^\s\[\]?+]+")
_HEAD = re.compile(r"^(?P<ref>\w+):(?P<type>[A-Z_]+)(?:=(?P<name>[\w.-]+))?$")

_CONFIG = {
    "HTTP": {"errorPolicyName": "retry_3_exponential", "rateLimitMaxRequests": 100, "rateLimitWindowSeconds": 1},
    "WORKER": {"errorPolicyName": "retry_3_linear"},
    "JAVASCRIPT": {"scriptLanguage": "javascript"},
    "JQ": {"jqTransformer": ". | {id: .orderId, total: .amount}"},
    "WAIT": {},
}


class _Steps:
    """Reads one definition's step list (see the module docstring) for one version."""

    def __init__(self, text: str, version: int, namespace: str, where: str) -> None:
        self.tokens = _TOKEN.findall(text)
        self.pos = 0
        self.version, self.namespace, self.where = version, namespace, where

    def fail(self, why: str) -> ValueError:
        return ValueError(f"catalog {self.where}: {why} at token {self.pos + 1} of {self.tokens}")

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def steps(self, closing: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while self.peek() not in (None, "]"):
            step, since = self.step()
            if self.version >= since:
                out.append(step)
        if closing != (self.peek() == "]"):
            raise self.fail("an unclosed [" if closing else "a ] with no [")
        self.pos += closing
        return out

    def step(self) -> tuple[dict[str, Any], int]:
        head = _HEAD.match(self.peek() or "")
        if not head:
            raise self.fail("expected a step ref:TYPE[=name]")
        self.pos += 1
        children: list[dict[str, Any]] = []
        if self.peek() == "[":
            self.pos += 1
            children = self.steps(closing=True)
        optional: bool | None = None
        since: int | None = None
        while (tok := self.peek()) is not None and (tok == "?" or tok[0] == "+"):
            if tok == "?" and optional is None:
                optional = True
            elif tok[0] == "+" and since is None:
                since = int(tok[1:])
            else:
                raise self.fail(f"a second {tok[0]} suffix")
            self.pos += 1
        ref, typ = head["ref"], head["type"]
        return {
            "orgId": 0, "namespace": self.namespace, "name": head["name"] or ref, "type": typ,
            "ref": ref, "optional": bool(optional), "label": ref.replace("_", " ").capitalize(),
            "description": f"{typ.lower()} step {ref}",
            "configuration": dict(_CONFIG.get(typ, {})), "children": children,
            "input": {}, "output": {},
        }, since or 1


def parse_steps(text: str, version: int, namespace: str, where: str = "") -> list[dict[str, Any]]:
    """The step definitions ``text`` describes for ``version`` (wire-shaped StepDefinitions)."""
    return _Steps(text, version, namespace, where or text[:40]).steps(closing=False)


def build_definitions(now_ms: int) -> dict[tuple[str, str], dict[int, dict[str, Any]]]:
    """All definitions: ``{(namespace, name): {version: ProcessDefinition dict}}`` (wire-shaped)."""
    day = 86_400_000
    out: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for i, (ns, name, ptype, kind, versions, desc, steps) in enumerate(DEFINITIONS):
        by_version: dict[int, dict[str, Any]] = {}
        for v in range(1, versions + 1):
            created = now_ms - (400 - i * 7) * day + (v - 1) * 45 * day
            by_version[v] = {
                "orgId": 0, "namespace": ns, "name": name, "version": v, "type": ptype,
                "description": desc, "createdBy": "platform-team@acme.io", "updatedBy": "ops@acme.io",
                "created": created, "updated": created + 3_600_000,
                "configuration": {"completionTimeout": 180000, "onTimeoutProcess": None,
                                  "onFailProcess": None, "onCompleteProcess": None, "onCancelProcess": None},
                "steps": parse_steps(steps, v, ns, f"{ns}/{name} v{v}"),
                "defaultInput": {"source": "meshdeck-mock", "priority": "normal"} if kind != "test" else {},
                "defaultOutput": {}, "outputMapping": {}, "metadata": {},
                "tags": [{"name": "team", "value": ns}, {"name": "kind", "value": kind}],
                "_kind": kind,
            }
        out[(ns, name)] = by_version
    return out


def flatten(steps: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """Depth-first list of ``(step definition, parent index or -1)``."""
    flat: list[tuple[dict[str, Any], int]] = []

    def walk(items: list[dict[str, Any]], parent: int) -> None:
        for s in items:
            flat.append((s, parent))
            if s["children"]:
                walk(s["children"], len(flat) - 1)

    walk(steps, -1)
    return flat
