"""memveil.shared: the contract both sides read (taxonomy, placeholder grammar, wire models)."""

from memveil.shared.placeholder import (
    PLACEHOLDER_RE,
    Placeholder,
    escape_lookalikes,
    find_placeholders,
    format_placeholder,
    parse_placeholder,
    restore_tokens,
    type_to_tag,
)
from memveil.shared.taxonomy import (
    DEFAULT_PROTECTED_LEVELS,
    STANDARD_TYPES,
    Level,
    TypeTag,
    default_level,
    lookup_type,
    parse_levels,
)
from memveil.shared.wire import PROTOCOL_HEADER, PROTOCOL_VERSION

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_PROTECTED_LEVELS",
    "PLACEHOLDER_RE",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "STANDARD_TYPES",
    "Level",
    "Placeholder",
    "TypeTag",
    "__version__",
    "default_level",
    "escape_lookalikes",
    "find_placeholders",
    "format_placeholder",
    "lookup_type",
    "parse_levels",
    "parse_placeholder",
    "restore_tokens",
    "type_to_tag",
]
