"""`programs diff`: what changed between two rules files, requirement by requirement.

Works on the parsed TOML, so it can compare any two versions of a catalogue, even one that
no longer validates: programs and institutions are matched by id, requirements by their
key (coursework by subject), and every changed value is named by its path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_IDENTITY = ("id", "subject", "test", "key", "term")


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for section in ("institutions", "programs"):
        before = _by_id(old.get(section, []))
        after = _by_id(new.get(section, []))
        for entity_id in after.keys() - before.keys():
            lines.append(f"+ {section[:-1]} {entity_id}: {after[entity_id].get('name', '')}")
        for entity_id in before.keys() - after.keys():
            lines.append(f"- {section[:-1]} {entity_id}: {before[entity_id].get('name', '')}")
        for entity_id in sorted(before.keys() & after.keys()):
            changes = list(_changes(before[entity_id], after[entity_id], ""))
            if changes:
                lines.append(f"~ {section[:-1]} {entity_id}")
                lines += [f"    {change}" for change in changes]
    top = {k: v for k, v in old.items() if k not in ("institutions", "programs")}
    top_new = {k: v for k, v in new.items() if k not in ("institutions", "programs")}
    changes = list(_changes(top, top_new, ""))
    if changes:
        lines.append("~ file settings")
        lines += [f"    {change}" for change in changes]
    return lines


def _by_id(items: Any) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                found[item["id"]] = item
    return found


def _key(item: Any, index: int) -> str:
    if isinstance(item, Mapping):
        for name in _IDENTITY:
            if isinstance(item.get(name), str):
                return f"{name}={item[name]}"
    return str(index)


def _changes(old: Any, new: Any, path: str) -> Iterator[str]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in new:
                yield f"{where}: removed (was {_show(old[key])})"
            elif key not in old:
                yield f"{where}: added {_show(new[key])}"
            else:
                yield from _changes(old[key], new[key], where)
        return
    if _is_table_list(old) and _is_table_list(new):
        before = {_key(item, i): item for i, item in enumerate(old)}
        after = {_key(item, i): item for i, item in enumerate(new)}
        for key in after:
            if key not in before:
                yield f"{path}[{key}]: added {_show(after[key])}"
        for key in before:
            if key not in after:
                yield f"{path}[{key}]: removed (was {_show(before[key])})"
            else:
                yield from _changes(before[key], after[key], f"{path}[{key}]")
        return
    if old != new:
        yield f"{path}: {_show(old)} -> {_show(new)}"


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _show(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f'"{value}"'
