"""The current request's id, readable from anywhere (the audit trail records it)."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
