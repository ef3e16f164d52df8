"""Typed payloads for work that must happen later: one frozen dataclass per due-work kind.

A due-work row outlives the process, so what it carries is built and read in one place: its payload
class. `KIND` names the handler, `key()` names the unit of work (the idempotency key: one row per key,
ever), `encode()` gives the JSON kept in the row and `decode()` reads it back, typed. Keys are
`KIND:part:part…` from the fields marked `key_part`, in order: one style for every kind.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar, Self, TypeVar, get_args, get_origin, get_type_hints

W = TypeVar("W", bound="Work")


def key_part(**kwargs: Any) -> Any:
    """A field that is part of the row's idempotency key (`dataclasses.field` otherwise)."""
    metadata = {**kwargs.pop("metadata", {}), "key": True}
    return field(metadata=metadata, **kwargs)


@dataclass(frozen=True)
class Work:
    """Base of every due-work payload. Subclasses set `KIND` and declare their fields."""

    KIND: ClassVar[str]

    def key(self) -> str:
        parts = [_key_text(getattr(self, f.name)) for f in dataclasses.fields(self) if f.metadata.get("key")]
        return ":".join([self.KIND, *parts])

    def encode(self) -> dict[str, Any]:
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Self:
        hints = get_type_hints(cls)
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in data:
                values[f.name] = _decode(hints[f.name], data[f.name])
        return cls(**values)


@dataclass(frozen=True)
class Planned:
    """A payload and when it falls due: what a use case hands the due-work repository."""

    work: Work
    due_at: datetime


def _key_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is typing.Literal:
        return value
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(arg, item) for arg, item in zip(args, value, strict=True))
    if origin is list:
        (arg,) = get_args(hint)
        return [_decode(arg, item) for item in value]
    if origin is dict or hint is Any:
        return value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if hint is int:
        return int(value)
    if hint is float:
        return float(value)
    if hint is str:
        return str(value)
    if hint is bool:
        return bool(value)
    return value
