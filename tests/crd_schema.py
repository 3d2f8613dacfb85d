"""A strict checker of a manifest against a CRD's openAPIV3Schema, for the keywords Sedna's CRDs use.

Written here because jsonschema is not a dependency. Strict like ``kubectl apply --validate=strict``:
a field the schema does not declare is an error (unless the schema preserves unknown fields or has
additionalProperties), so a misspelt key fails instead of being pruned by the API server.
"""

from __future__ import annotations

import re

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "number": (int, float)}


def errors(value, schema: dict, path: str = "") -> list[str]:
    where = path or "(top)"
    if schema.get("x-kubernetes-int-or-string"):
        return [] if isinstance(value, (int, str)) and not isinstance(value, bool) else [f"{where}: int or string"]
    if "anyOf" in schema and not any(not errors(value, s, path) for s in schema["anyOf"]
                                     if set(s) - {"description"}):
        return [f"{where}: matches none of anyOf"]
    kind = schema.get("type")
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in _TYPES:
        ok = isinstance(value, _TYPES[kind]) and not (kind == "number" and isinstance(value, bool))
    else:
        ok = True
    if not ok:
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    out = []
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not one of {schema['enum']}")
    if kind == "string" and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        props = schema.get("properties")
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{path}.{key}: required")
        for key, sub in value.items():
            if props is not None and key in props:
                out += errors(sub, props[key], f"{path}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                out += errors(sub, schema["additionalProperties"], f"{path}.{key}")
            elif props is not None and not schema.get("x-kubernetes-preserve-unknown-fields") \
                    and schema.get("additionalProperties") is not True:
                out.append(f"{path}.{key}: unknown field")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += errors(item, schema["items"], f"{path}[{i}]")
    return out


def crd_schema(crd: dict, version: str = "v1alpha1") -> dict:
    for v in crd["spec"]["versions"]:
        if v["name"] == version:
            return v["schema"]["openAPIV3Schema"]
    raise KeyError(f"{crd['metadata']['name']}: no version {version}")
